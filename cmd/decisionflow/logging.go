package main

import (
	"io"
	"log/slog"
	"os"

	"decisionflow/config"

	"github.com/mattn/go-isatty"
)

// newLogger logs as text on a terminal and as JSON otherwise (for log collectors).
func newLogger(w io.Writer, format, level string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: parseLevel(level)}
	if format == "text" || (format == "auto" && isTerminal(w)) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// loggers returns the application's logger and the embedded server's, which is quieter.
func loggers(w io.Writer, c config.Log) (app, server *slog.Logger) {
	return newLogger(w, c.Format, c.Level), newLogger(w, c.Format, c.ServerLevel)
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelInfo
	}
	return l
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
