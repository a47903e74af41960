package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startProfiler serves Go's profiles (/debug/pprof/…) on addr, a listener of its own apart
// from the API's, for an operator to see where a process spends its time under load. Off when
// addr is empty; bind it to localhost or a management network, since profiles show internals.
func startProfiler(addr string, p *process) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("profiler: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	p.onStop("profiler", func(ctx context.Context) error { return srv.Shutdown(ctx) })
	p.logger.Info("profiler listening", "addr", ln.Addr().String())
	return nil
}
