package clustersetup

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// State is a running make cluster, as the state file `cluster.sh up` writes describes it.
type State struct {
	// Script is deploy/cluster/cluster.sh, which starts and stops the cluster's processes.
	Script string
	// Data is the cluster's data folder (CLUSTER_DATA).
	Data string
	// Frontend is the Temporal frontend's address.
	Frontend string
	// Namespace is the namespace the cluster's own serve and worker run in.
	Namespace string
	// DatabaseURL is the projection database of the cluster's own serve and worker.
	DatabaseURL string
	// URL is the address clients use (nginx in front of the serves, or the first serve).
	URL string
	// ServeURLs are the serves' own addresses.
	ServeURLs []string
	// Env is every variable of the state file.
	Env map[string]string
}

// ReadState reads the state file that `cluster.sh up` writes: path is the file or its folder.
func ReadState(path string) (*State, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "cluster.state")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cluster state (is the cluster up? make cluster): %w", err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			env[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	c := &State{Script: env["CLUSTER_SCRIPT"], Data: env["CLUSTER_DATA"], Frontend: env["TEMPORAL_ADDRESS"],
		Namespace: env["TEMPORAL_NAMESPACE"], DatabaseURL: env["DATABASE_URL"], URL: env["FENGQIAO_URL"], Env: env}
	for _, u := range strings.Split(env["SERVE_URLS"], ",") {
		if u != "" {
			c.ServeURLs = append(c.ServeURLs, u)
		}
	}
	if c.Frontend == "" {
		return nil, fmt.Errorf("cluster state %s: no TEMPORAL_ADDRESS", path)
	}
	return c, nil
}
