# syntax=docker/dockerfile:1
# Build stage: compile the release binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p steward && strip target/release/steward

# Runtime stage: a small image, non-root.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/steward --create-home steward
COPY --from=build /src/target/release/steward /usr/local/bin/steward
USER steward
WORKDIR /var/lib/steward
ENV STEWARD_LISTEN=0.0.0.0:8080 \
    STEWARD_DATA_DIR=/var/lib/steward
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["/usr/local/bin/steward"]
CMD ["serve"]
