//! The client's IP address behind reverse proxies.
//!
//! By default the client is the TCP peer and forwarding headers are ignored:
//! anyone can send `X-Forwarded-For`, so trusting it unconditionally would let
//! a client pick its own address (and with it its own login rate-limit
//! bucket). With `--trusted-proxies`, and only when the peer is one of those
//! proxies, the client is found by walking `X-Forwarded-For` (or, without
//! it, the `for=` parameters of `Forwarded`, RFC 7239) from right to left and
//! skipping trusted proxies: the first untrusted address is the client. The
//! entries to its left were written by the client or by proxies we do not
//! control, so they are never used. A header that cannot be read falls back
//! to the peer.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// Parses one `--trusted-proxies` entry: an IP address (`10.0.0.1`, `::1`)
/// or a network in CIDR notation (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_trusted_proxy(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    s.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| format!("`{s}` is neither an IP address nor a CIDR network"))
}

/// The client address of a request that arrived from `peer`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if trusted.is_empty() || !is_trusted(&peer) {
        return peer;
    }
    let chain = match forwarded_chain(headers) {
        Some(Ok(chain)) => chain,
        // No header: the proxy connected on its own behalf.
        None => return peer,
        Some(Err(())) => return peer,
    };
    let mut leftmost = None;
    for entry in chain.iter().rev() {
        let Some(ip) = entry else {
            // Unreadable (or `unknown`/obfuscated) before an untrusted hop.
            return peer;
        };
        if !is_trusted(ip) {
            return *ip;
        }
        leftmost = Some(*ip);
    }
    // Every hop is a trusted proxy: the request started at the first one.
    leftmost.unwrap_or(peer)
}

/// The forwarding chain, left (furthest) to right (nearest): from all
/// `X-Forwarded-For` fields if there are any, else from `Forwarded`. `None`
/// without either header; `Err` when a field is not text. An entry that is
/// not an address is `None`.
fn forwarded_chain(headers: &HeaderMap) -> Option<Result<Vec<Option<IpAddr>>, ()>> {
    let xff: Vec<_> = headers.get_all("x-forwarded-for").iter().collect();
    if !xff.is_empty() {
        return Some(collect(xff, |field| {
            field.split(',').map(parse_node).collect()
        }));
    }
    let fwd: Vec<_> = headers.get_all("forwarded").iter().collect();
    if !fwd.is_empty() {
        return Some(collect(fwd, forwarded_for));
    }
    None
}

fn collect(
    fields: Vec<&axum::http::HeaderValue>,
    entries: impl Fn(&str) -> Vec<Option<IpAddr>>,
) -> Result<Vec<Option<IpAddr>>, ()> {
    let mut out = Vec::new();
    for f in fields {
        out.extend(entries(f.to_str().map_err(|_| ())?));
    }
    Ok(out)
}

/// The `for=` node of each element of a `Forwarded` field (an element
/// without one is unreadable).
fn forwarded_for(field: &str) -> Vec<Option<IpAddr>> {
    field
        .split(',')
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| {
                    let v = v.trim();
                    let v = v
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or(v);
                    parse_node(v)
                })
        })
        .collect()
}

/// One hop: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:4711`. Anything else (`unknown`, `_hidden`) is `None`.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let ip = s
        .parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            s.strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|r| r.parse::<IpAddr>().ok())
        })?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|s| parse_trusted_proxy(s).unwrap())
            .collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert_eq!(
            parse_trusted_proxy(" 10.0.0.1 ").unwrap(),
            "10.0.0.1/32".parse().unwrap()
        );
        assert_eq!(
            parse_trusted_proxy("::1").unwrap(),
            "::1/128".parse().unwrap()
        );
        assert_eq!(
            parse_trusted_proxy("10.1.2.3/8").unwrap(),
            "10.0.0.0/8".parse().unwrap()
        );
        assert!(parse_trusted_proxy("fd00::/8").is_ok());
        for bad in ["", "10.0.0.0/33", "example.com", "10.0.0", "10.0.0.1/"] {
            assert!(parse_trusted_proxy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_option_takes_a_comma_separated_list() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            config: crate::config::Config,
        }
        let c = Cli::try_parse_from(["steward", "--trusted-proxies", "10.0.0.0/8, 127.0.0.1"])
            .unwrap()
            .config;
        assert_eq!(c.trusted_proxies, nets(&["10.0.0.0/8", "127.0.0.1/32"]));
        assert!(Cli::try_parse_from(["steward", "--trusted-proxies", "10.0.0.0/8,nope"]).is_err());
        assert!(crate::config::Config::default().trusted_proxies.is_empty());
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=1.2.3.4")]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"));
        // A peer that is not a trusted proxy is the client, whatever it says.
        let t = nets(&["10.0.0.0/8"]);
        assert_eq!(resolve(ip("192.0.2.7"), &h, &t), ip("192.0.2.7"));
    }

    #[test]
    fn the_first_untrusted_address_from_the_right_is_the_client() {
        let t = nets(&["10.0.0.0/8", "127.0.0.1"]);
        let peer = ip("127.0.0.1");
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(resolve(peer, &h, &t), ip("203.0.113.9"));
        // Several fields are one list.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2"),
        ]);
        assert_eq!(resolve(peer, &h, &t), ip("203.0.113.9"));
        // Ports, brackets and IPv4-mapped IPv6.
        let h = headers(&[("x-forwarded-for", "[2001:db8::1]:4711")]);
        assert_eq!(resolve(peer, &h, &t), ip("2001:db8::1"));
        let h = headers(&[("x-forwarded-for", "203.0.113.9:1234, ::ffff:10.0.0.3")]);
        assert_eq!(resolve(ip("::ffff:127.0.0.1"), &h, &t), ip("203.0.113.9"));
        // Only proxies: the first of them.
        let h = headers(&[("x-forwarded-for", "10.0.0.5, 10.0.0.2")]);
        assert_eq!(resolve(peer, &h, &t), ip("10.0.0.5"));
        // No header: the proxy itself.
        assert_eq!(resolve(peer, &HeaderMap::new(), &t), peer);
    }

    #[test]
    fn unreadable_headers_fall_back_to_the_peer() {
        let t = nets(&["127.0.0.1"]);
        let peer = ip("127.0.0.1");
        for v in [
            "",
            "garbage",
            "1.2.3.4, nonsense",
            "unknown",
            "1.2.3.4;x",
            "999.1.1.1",
        ] {
            let h = headers(&[("x-forwarded-for", v)]);
            assert_eq!(resolve(peer, &h, &t), peer, "{v:?}");
        }
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"1.2.3.4\xff").unwrap(),
        );
        assert_eq!(resolve(peer, &h, &t), peer);
        // Garbage left of the client does not matter: it is never read.
        let h = headers(&[("x-forwarded-for", "nonsense, 203.0.113.9")]);
        assert_eq!(resolve(peer, &h, &t), ip("203.0.113.9"));
    }

    #[test]
    fn the_forwarded_header_is_read_without_x_forwarded_for() {
        let t = nets(&["127.0.0.1", "10.0.0.0/8"]);
        let peer = ip("127.0.0.1");
        let h = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8:cafe::17]:4711\";proto=https, For=10.0.0.2;by=10.0.0.1",
        )]);
        assert_eq!(resolve(peer, &h, &t), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(resolve(peer, &h, &t), peer);
        let h = headers(&[("forwarded", "proto=https")]);
        assert_eq!(resolve(peer, &h, &t), peer);
        // X-Forwarded-For wins when both are present.
        let h = headers(&[
            ("forwarded", "for=198.51.100.1"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(resolve(peer, &h, &t), ip("203.0.113.9"));
    }
}
