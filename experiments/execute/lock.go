package execute

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockName is the lock file a run holds in its results directory while it
// writes there: DIR/.lock for a whole run, DIR/.lock-shard-I-of-N for one
// shard (shards of one plan run side by side, each on its own tasks). It
// holds "PID HOST START", so a second run into the same directory is
// refused with who holds it.
const lockName = ".lock"

// lock is a held lock file.
type lock struct {
	path string
	body string
}

func lockFile(dir string, s Shard) string {
	if s.N > 0 {
		return filepath.Join(dir, fmt.Sprintf("%s-shard-%d-of-%d", lockName, s.I, s.N))
	}
	return filepath.Join(dir, lockName)
}

// acquireLock takes the lock of a run into dir. A lock whose process is
// gone (its PID no longer exists on this host) is stale: it is broken with a
// warning. A lock of a live process, or of another host (whose processes
// cannot be seen from here), is refused unless breakLock.
func acquireLock(dir string, s Shard, breakLock bool, log *slog.Logger) (*lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	l := &lock{path: lockFile(dir, s), body: fmt.Sprintf("%d %s %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))}
	for try := 0; ; try++ {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.WriteString(l.body)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				os.Remove(l.path)
				return nil, werr
			}
			return l, nil
		}
		if !errors.Is(err, fs.ErrExist) || try > 0 {
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		b, err := os.ReadFile(l.path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		pid, lockHost, since := parseLock(string(b))
		switch {
		case pid > 0 && lockHost == host && !alive(pid):
			log.Warn("breaking a stale lock: its process is gone", "lock", l.path, "pid", pid, "host", lockHost, "since", since)
		case breakLock:
			log.Warn("breaking the lock (--break-lock)", "lock", l.path, "pid", pid, "host", lockHost, "since", since)
		default:
			return nil, fmt.Errorf("%s is in use: %s is held by PID %d on host %q since %s; wait for that run, use another --out, "+
				"or --break-lock if it is gone (a lock of a dead process on this host is broken by itself)", dir, l.path, pid, lockHost, since)
		}
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("breaking the lock: %w", err)
		}
	}
}

// release removes the lock if it is still the one taken.
func (l *lock) release() {
	if b, err := os.ReadFile(l.path); err == nil && string(b) == l.body {
		os.Remove(l.path)
	}
}

func parseLock(s string) (pid int, host, since string) {
	f := strings.Fields(s)
	if len(f) >= 1 {
		pid, _ = strconv.Atoi(f[0])
	}
	if len(f) >= 2 {
		host = f[1]
	}
	if len(f) >= 3 {
		since = f[2]
	}
	return pid, host, since
}

// alive reports whether a process with this PID exists on this host
// (signal 0 checks without sending anything; EPERM means it exists).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
