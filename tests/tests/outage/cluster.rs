//! A throwaway Postgres cluster: `initdb` in a temporary directory, `pg_ctl`
//! on a free port with its socket in that directory. Dropping the guard stops
//! it (`-m immediate`) and removes the directory, also when the test panics.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Cluster {
    bin: PathBuf,
    /// Holds `data/`, `postgres.log` and the Unix socket.
    dir: tempfile::TempDir,
    pub port: u16,
    /// Running as root: every command runs as the `postgres` user
    /// (`initdb` and `postgres` refuse root).
    as_postgres: bool,
}

/// The directory of `initdb` and `pg_ctl`: `STEWARD_PG_BIN`, else
/// `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`.
pub fn find_bin() -> Option<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Ok(d) = std::env::var("STEWARD_PG_BIN") {
        return Some(PathBuf::from(d)).filter(|d| has_tools(d));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_tools(&d) {
            return Some(d);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| has_tools(d))
        .collect();
    versions.sort();
    versions.pop().map(|(_, d)| d)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn check(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    /// Why a cluster cannot be made here, if it cannot.
    pub fn unavailable_reason(bin: &Path) -> Option<String> {
        if is_root()
            && !Command::new("id")
                .args(["-u", "postgres"])
                .output()
                .is_ok_and(|o| o.status.success())
        {
            return Some(format!(
                "running as root and there is no `postgres` user to run {}/initdb",
                bin.display()
            ));
        }
        None
    }

    /// `initdb` and start. Blocking.
    pub fn create(bin: PathBuf) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("steward-outage-")
            .tempdir()
            .expect("temp dir");
        let as_postgres = is_root();
        if as_postgres {
            let out = Command::new("chown")
                .args(["postgres:", &dir.path().display().to_string()])
                .output()
                .expect("chown");
            check("chown", &out);
        }
        let mut c = Self {
            bin,
            dir,
            port: 0,
            as_postgres,
        };
        let data = c.data_dir();
        let out = c
            .command("initdb")
            .args(["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync", "--no-instructions"])
            .output()
            .expect("run initdb");
        check("initdb", &out);
        // A port can be taken between choosing and binding it: try a few.
        for attempt in 0..5 {
            c.port = free_port();
            let out = c.start_command().output().expect("run pg_ctl start");
            if out.status.success() {
                return c;
            }
            if attempt == 4 {
                check(&format!("pg_ctl start\n{}", c.log()), &out);
            }
        }
        unreachable!("the last attempt panics")
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn start_command(&self) -> Command {
        let dir = self.dir.path().display();
        let mut c = self.command("pg_ctl");
        c.args(["-D", &self.data_dir(), "-w", "-t", "30"])
            .args(["-l", &format!("{dir}/postgres.log")])
            .arg("-o")
            .arg(format!(
                "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} \
                 -c fsync=off -c full_page_writes=off -c max_connections=40",
                self.port
            ))
            .arg("start");
        c
    }

    /// Starts the stopped cluster on the same port; returns once it accepts
    /// connections. Blocking.
    pub fn start(&self) {
        let out = self.start_command().output().expect("run pg_ctl start");
        check(&format!("pg_ctl start\n{}", self.log()), &out);
    }

    /// `pg_ctl stop -m <mode>` (`fast`, `immediate`); returns once it is down.
    /// Blocking.
    pub fn stop(&self, mode: &str) {
        let out = self
            .command("pg_ctl")
            .args(["-D", &self.data_dir(), "-w", "-t", "30", "-m", mode, "stop"])
            .output()
            .expect("run pg_ctl stop");
        check("pg_ctl stop", &out);
    }

    /// A URL of database `db` over TCP.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// The server log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Whether or not it runs; the directory goes with `TempDir`.
        let _ = self
            .command("pg_ctl")
            .args(["-D", &self.data_dir(), "-w", "-m", "immediate", "stop"])
            .output();
    }
}
