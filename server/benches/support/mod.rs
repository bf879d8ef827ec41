//! What the live-channel benches share: the seeded server in a child process, signing in, the clock, the child's
//! memory and the open-file limit.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{SystemTime, UNIX_EPOCH},
};

use server::{database::seed, test_support::TestServer};

/// The child: a seeded server; prints its URL and database URL, then serves until killed.
pub async fn serve() {
    raise_fd_limit();
    let server = TestServer::start().await;
    seed::seed_if_empty(&server.pool).await.unwrap();
    server.wait_until_listening().await;
    println!("{} {}", server.url, server.database.app_url);
    std::future::pending::<()>().await;
}

/// Starts this binary again as `serve`; answers the child, the server's URL and its database URL.
pub fn spawn_server() -> (Child, String, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let mut words = line.split_whitespace();
    let (url, database) = (words.next().unwrap().to_string(), words.next().unwrap().to_string());
    (child, url, database)
}

/// Signs a demo person of Faculdade Famath in; answers the session cookie's value.
pub async fn sign_in(url: &str, email: &str) -> String {
    let form = [("tenant", "famath"), ("email", email), ("password", seed::DEMO_PASSWORD)];
    let response =
        reqwest::Client::new().post(format!("{url}/api/auth/sign_in")).header("origin", url).form(&form).send().await;
    let response = response.unwrap();
    let cookie = response.headers().get_all("set-cookie").iter().find_map(|value| {
        value
            .to_str()
            .ok()?
            .strip_prefix("atrium_session=")
            .map(|rest| rest.split(';').next().unwrap_or("").to_string())
    });
    cookie.expect("signed in")
}

pub fn now_micros() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros()
}

pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The value at quantile `q` of sorted figures.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted.get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1))).copied().unwrap_or(f64::NAN)
}

/// Raises the soft limit on open files to the hard limit; answers the new soft limit.
#[allow(unsafe_code, reason = "setrlimit has no safe wrapper in std, and this is a benchmark binary")]
pub fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &raw mut limit);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &raw const limit);
    }
    limit.rlim_cur
}
