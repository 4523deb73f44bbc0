package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressEvery is how often a run without a bar (stderr not a terminal,
// or --quiet) writes a progress line: a long run never goes silent.
var progressEvery = 30 * time.Second

// progress draws a bar with an ETA on stderr when stderr is a terminal and
// --quiet is off; otherwise it writes a line every progressEvery.
type progress struct {
	mu          sync.Mutex
	w           io.Writer
	bar         *progressbar.ProgressBar
	on          bool
	start       time.Time
	done, total int
	stop        chan struct{}
	stopped     sync.WaitGroup
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, on: !quiet && isTerminal(w), start: time.Now()}
	if !p.on {
		p.stop = make(chan struct{})
		p.stopped.Add(1)
		go p.tick()
	}
	return p
}

func (p *progress) tick() {
	defer p.stopped.Done()
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			fmt.Fprintln(p.w, p.line(time.Since(p.start)))
			p.mu.Unlock()
		}
	}
}

// line says how far the run is, and how long the rest should take at the
// pace so far.
func (p *progress) line(el time.Duration) string {
	s := fmt.Sprintf("sushisim: progress: %d of %d runs done, %s elapsed", p.done, p.total, el.Round(time.Second))
	if p.done > 0 && p.total > p.done {
		left := time.Duration(float64(el) * float64(p.total-p.done) / float64(p.done))
		s += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	return s
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update is execute.Options.Progress.
func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	if !p.on {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("runs"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done)
}

func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.stopped.Wait()
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
