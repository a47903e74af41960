package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// health asks a running process whether it is ready (GET /readyz): the container health check
// of an image that has no shell or curl. It exits 0 when ready, 1 otherwise.
func (m *Main) health(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("decisionflow health", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	addr := fs.String("addr", m.Environ["DECISIONFLOW_HTTP_ADDR"], "the process's HTTP address (default $DECISIONFLOW_HTTP_ADDR, else :8080)")
	path := fs.String("path", "/readyz", "the probe: /readyz (ready to serve) or /healthz (alive)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *addr == "" {
		*addr = ":8080"
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintln(m.Stderr, "decisionflow health:", err)
		return errUsage
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/" + strings.TrimPrefix(*path, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not reachable: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	fmt.Fprintln(m.Stdout, "ok")
	return nil
}
