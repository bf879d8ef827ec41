//! Raising the open-file limit: 10,000 sockets on each side exceed the default 1,024.

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
