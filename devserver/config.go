package devserver

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
)

// serverConfig describes a one-shard, single-process cluster on a SQLite file whose frontend
// listens on host:port and whose other roles take free ports on the same host.
func serverConfig(dbFile, host string, port int) (*config.Config, error) {
	roles := []string{"frontend", "history", "matching", "worker"}
	// Each role needs a membership port, and each role but the frontend a gRPC port.
	ports, err := freePorts(host, 2*len(roles)-1, port)
	if err != nil {
		return nil, err
	}
	services := map[string]config.Service{}
	for i, role := range roles {
		grpc := port
		if i > 0 {
			grpc = ports[len(roles)+i-1]
		}
		services[role] = config.Service{RPC: config.RPC{GRPCPort: grpc, MembershipPort: ports[i], BindOnIP: host}}
	}
	frontend := net.JoinHostPort(host, strconv.Itoa(port))
	return &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: host},
		},
		Persistence: config.Persistence{
			DefaultStore:     sqliteplugin.PluginName,
			VisibilityStore:  sqliteplugin.PluginName,
			NumHistoryShards: 1,
			DataStores: map[string]config.DataStore{
				sqliteplugin.PluginName: {SQL: sqliteConfig(dbFile)},
			},
		},
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace:    false,
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services:            services,
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{
			Archival: config.ArchivalNamespaceDefaults{
				History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
				Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
			},
		},
		// The server's own system workflows dial the frontend through this address.
		PublicClient: config.PublicClient{HostPort: frontend},
	}, nil
}

// freePorts asks the kernel for n distinct free ports on host, none equal to exclude. The
// listeners stay open until all are chosen, so no two are the same. Another process could
// take one before the server binds it; for the internal roles of a single-process server that
// risk is accepted.
func freePorts(host string, n, exclude int) ([]int, error) {
	var ports []int
	var open []net.Listener
	defer func() {
		for _, l := range open {
			l.Close()
		}
	}()
	for len(ports) < n {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("find a free port on %s: %w", host, err)
		}
		open = append(open, l)
		if p := l.Addr().(*net.TCPAddr).Port; p != exclude {
			ports = append(ports, p)
		}
	}
	return ports, nil
}

// sqliteConfig keeps the server's state in one file. WAL with synchronous=FULL makes every
// committed workflow transition survive a crash of the process or of the machine.
func sqliteConfig(dbFile string) *config.SQL {
	return &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: dbFile,
		ConnectAttributes: map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "2",
			"busy_timeout": "10000",
		},
	}
}
