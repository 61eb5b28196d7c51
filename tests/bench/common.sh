# Shared by the bench scripts (sourced, not run): a work folder and the PIDs started, both
# cleaned up on exit; waiting for a line in a log; a free loopback port.
#   bench_start PREFIX   sets $work to a fresh temporary folder and arms the clean-up
#   pids+=("$pid")       registers a process to stop (SIGTERM, by its PID) on exit

bench_start() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

wait_for() { # FILE TEXT: wait up to 60 s for TEXT to appear in FILE
  for _ in $(seq 1 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
