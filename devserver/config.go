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
	services := map[string]config.Service{}
	for _, role := range []string{"frontend", "history", "matching", "worker"} {
		svc, err := roleService(host, role, port)
		if err != nil {
			return nil, err
		}
		services[role] = svc
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

func roleService(host, role string, frontendPort int) (config.Service, error) {
	grpcPort := frontendPort
	if role != "frontend" {
		p, err := freePort(host)
		if err != nil {
			return config.Service{}, err
		}
		grpcPort = p
	}
	membershipPort, err := freePort(host)
	if err != nil {
		return config.Service{}, fmt.Errorf("%s membership port: %w", role, err)
	}
	return config.Service{RPC: config.RPC{GRPCPort: grpcPort, MembershipPort: membershipPort, BindOnIP: host}}, nil
}
