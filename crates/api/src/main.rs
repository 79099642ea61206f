//! The `steward` binary: serve, migrate, print the schema, administer.

use clap::{Parser, Subcommand};
use std::io::Read;
use std::process::ExitCode;
use steward_api::config::{Config, LogFormat};
use steward_api::{Application, app, demo, graphql};

#[global_allocator]
static GLOBAL: steward_alloc::MiMalloc = steward_alloc::MiMalloc;

/// Steward: the GraphQL API for strategic account management.
///
/// Every setting can also be given as a STEWARD_* environment variable.
#[derive(Parser)]
#[command(name = "steward", version, about, long_about)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations and serve GraphQL on STEWARD_LISTEN (GraphiQL at /graphql).
    Serve,
    /// Manage the database schema.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` is its output.
    Schema,
    /// Administration.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Create a `demo` tenant with a small realistic portfolio and print how to sign in.
    Demo,
    /// Fill an empty database with a large deterministic data set (benchmarks).
    Seed {
        /// The data set: `bench` (1 tenant, 50 users, 10,000 accounts, 100,000
        /// contacts, 20,000 plans, 60,000 objectives, 500,000 activities, times --scale).
        #[arg(long, default_value = "bench")]
        profile: String,
        /// Multiplies the row counts.
        #[arg(long, default_value_t = 1)]
        scale: usize,
        /// Where to write the ids file for the load generator
        /// (`ACCOUNT_ID<TAB>HEAD_CONTACT_ID` per line, global ids).
        #[arg(long, default_value = "bench-ids.tsv")]
        ids_file: std::path::PathBuf,
    },
}

#[derive(Subcommand, Clone, Copy)]
enum MigrateAction {
    /// Apply all pending migrations (the default).
    Up,
    /// Revert the last migration.
    Down,
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create a tenant and its first admin. The password comes from
    /// STEWARD_ADMIN_PASSWORD or, if unset, the first line of stdin.
    CreateTenant {
        /// URL-safe short name, used at login.
        #[arg(long)]
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// The first admin's e-mail.
        #[arg(long)]
        admin_email: String,
        /// The first admin's display name.
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
        /// IANA time zone.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
        /// Month (1-12) in which the fiscal year starts.
        #[arg(long, default_value_t = 1)]
        fiscal_year_start_month: i32,
        /// Default ISO 4217 currency.
        #[arg(long, default_value = "EUR")]
        currency: String,
    },
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STEWARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let b = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => b.json().init(),
        LogFormat::Text => b.init(),
    }
}

fn admin_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("STEWARD_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_to_string(&mut line)
        .map_err(|e| format!("reading the password from stdin: {e}"))?;
    Ok(line.lines().next().unwrap_or("").to_owned())
}

fn main() -> ExitCode {
    // A multi-threaded runtime as `#[tokio::main]` makes, plus: a worker
    // that goes idle after large responses were built hands the memory it
    // freed back to the system (once per such burst; see
    // `response_budget::large_responses`).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_park(|| {
            thread_local! {
                static SEEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
            }
            // The C heap (SQLite's copies of column values) is process-wide:
            // the first worker to park after a burst trims it.
            static TRIMMED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let now = steward_api::response_budget::large_responses();
            if SEEN.get() != now {
                SEEN.set(now);
                steward_alloc::collect();
                if TRIMMED.swap(now, std::sync::atomic::Ordering::Relaxed) != now {
                    steward_alloc::trim_system_heap();
                }
            }
        })
        .build();
    match runtime {
        Ok(rt) => rt.block_on(async_main()),
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn async_main() -> ExitCode {
    // No transparent huge pages for this process (as MIMALLOC_ALLOW_THP=0
    // would do): mimalloc asks for them on its arenas, and every 2 MiB page
    // touched counts whole toward RSS. Q2 under load: peak RSS 64-72 MiB
    // -> 46-49 MiB, throughput within noise (bench/README.md). The flag is
    // per process and checked when pages are faulted in, so memory allocated
    // before this line is covered too.
    #[cfg(target_os = "linux")]
    if let Err(e) = nix::sys::prctl::set_thp_disable(true) {
        eprintln!("could not disable transparent huge pages: {e}");
    }
    let cli = Cli::parse();
    init_tracing(cli.config.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let cfg = cli.config;
    match cli.command {
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Serve => {
            let app = Application::build(cfg).await.map_err(|e| e.to_string())?;
            let addr = app.local_addr().map_err(|e| e.to_string())?;
            tracing::info!(%addr, "Steward listening; GraphiQL at http://{addr}/graphql");
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
        Command::Migrate { action } => {
            let db = app::connect(&cfg).await.map_err(|e| e.to_string())?;
            match action.unwrap_or(MigrateAction::Up) {
                MigrateAction::Up => db.migrate_up().await.map_err(|e| e.to_string())?,
                MigrateAction::Down => db.migrate_down(1).await.map_err(|e| e.to_string())?,
                MigrateAction::Status => {
                    for (name, applied) in db.migration_status().await.map_err(|e| e.to_string())? {
                        println!("{} {name}", if applied { "applied" } else { "pending" });
                    }
                }
            }
            Ok(())
        }
        Command::Admin {
            action:
                AdminAction::CreateTenant {
                    slug,
                    name,
                    admin_email,
                    admin_name,
                    time_zone,
                    fiscal_year_start_month,
                    currency,
                },
        } => {
            let password = admin_password()?;
            let db = app::connect(&cfg).await.map_err(|e| e.to_string())?;
            db.migrate_up().await.map_err(|e| e.to_string())?;
            let (t, u) = steward_api::services::tenants::create_tenant(
                &db,
                steward_api::services::tenants::NewTenant {
                    slug: &slug,
                    name: &name,
                    time_zone: &time_zone,
                    fiscal_year_start_month,
                    currency: &currency,
                    admin_email: &admin_email,
                    admin_name: &admin_name,
                    admin_password: &password,
                },
            )
            .await
            .map_err(|e| e.detail())?;
            println!(
                "created tenant {} ({}) with admin {}",
                t.slug, t.tenant_id, u.email
            );
            Ok(())
        }
        Command::Seed {
            profile,
            scale,
            ids_file,
        } => {
            if profile != "bench" {
                return Err(format!(
                    "unknown profile {profile}: the only profile is `bench`"
                ));
            }
            let db = app::connect(&cfg).await.map_err(|e| e.to_string())?;
            db.migrate_up().await.map_err(|e| e.to_string())?;
            let hash = steward_api::auth::hash_password(steward_seed::BENCH_PASSWORD.to_owned())
                .await
                .map_err(|e| e.detail())?;
            let started = std::time::Instant::now();
            let seeded = steward_seed::seed_bench(&db, scale, &hash)
                .await
                .map_err(|e| e.to_string())?;
            let ids: Vec<(String, String, String)> = seeded
                .ids
                .iter()
                .map(|(a, c, o)| {
                    (
                        graphql::common::ids::encode(graphql::common::ids::Kind::Account, *a).0,
                        graphql::common::ids::encode(graphql::common::ids::Kind::Contact, *c).0,
                        graphql::common::ids::encode(graphql::common::ids::Kind::User, *o).0,
                    )
                })
                .collect();
            steward_seed::write_ids_file(&ids_file, &ids).map_err(|e| e.to_string())?;
            println!(
                "seeded {} accounts, {} contacts, {} plans, {} objectives, {} activities, {} signals in {:.1}s; ids in {}",
                seeded.accounts,
                seeded.contacts,
                seeded.plans,
                seeded.objectives,
                seeded.activities,
                seeded.signals,
                started.elapsed().as_secs_f64(),
                ids_file.display()
            );
            println!(
                "token: mutation {{ login(input: {{tenant: \"{}\", email: \"user00@bench.example\", password: \"{}\"}}) {{ accessToken }} }}",
                steward_seed::BENCH_TENANT,
                steward_seed::BENCH_PASSWORD
            );
            Ok(())
        }
        Command::Demo => {
            let password = std::env::var("STEWARD_ADMIN_PASSWORD")
                .unwrap_or_else(|_| demo::DEMO_PASSWORD.into());
            let db = app::connect(&cfg).await.map_err(|e| e.to_string())?;
            db.migrate_up().await.map_err(|e| e.to_string())?;
            let created = demo::create_demo(&db, &password)
                .await
                .map_err(|e| e.detail())?;
            if created {
                println!(
                    "created the `{}` tenant. Sign in (GraphiQL at http://{}/graphql) with:",
                    demo::DEMO_TENANT,
                    cfg.listen
                );
            } else {
                println!(
                    "the `{}` tenant already exists. Sign in with:",
                    demo::DEMO_TENANT
                );
            }
            for u in demo::DEMO_USERS {
                println!(
                    "  tenant: {}  email: {:<28} role: {}",
                    demo::DEMO_TENANT,
                    u.email,
                    u.role
                );
            }
            if created {
                println!("  password (all users): {password}");
            }
            println!(
                "mutation {{ login(input: {{tenant: \"{}\", email: \"{}\", password: \"...\"}}) {{ accessToken }} }}",
                demo::DEMO_TENANT,
                demo::DEMO_USERS[0].email
            );
            Ok(())
        }
    }
}
