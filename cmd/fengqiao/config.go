package main

import (
	"os"
	"path/filepath"
	"strings"
)

// config is the environment of API.md "Running", plus a few operational extras.
type config struct {
	Addr           string // FENGQIAO_ADDR
	Data           string // FENGQIAO_DATA
	TemporalListen string // FENGQIAO_TEMPORAL_LISTEN (embedded server)
	TemporalUI     string // FENGQIAO_TEMPORAL_UI ("off" disables the embedded Web UI)
	TemporalAddr   string // TEMPORAL_ADDRESS
	Namespace      string // TEMPORAL_NAMESPACE
	DatabaseURL    string // DATABASE_URL
	PolicyFile     string // FENGQIAO_POLICY
	AdminPassword  string // FENGQIAO_ADMIN_PASSWORD
	Demo           bool   // FENGQIAO_DEMO
	SecureCookies  bool   // FENGQIAO_SECURE_COOKIES: web session cookies only over HTTPS
	// TrustedProxies (FENGQIAO_TRUSTED_PROXIES, comma-separated addresses or CIDRs) are the reverse
	// proxies whose X-Forwarded-For names the client the rate limits count.
	TrustedProxies []string
	// TemporalUIWrite (FENGQIAO_TEMPORAL_UI_WRITE=1) lets the embedded Web UI terminate, signal, reset
	// and update workflows; it is read-only by default, so that nobody acts behind the engine's back.
	TemporalUIWrite bool
	// SMSURL and SMSKey (FENGQIAO_SMS_URL, FENGQIAO_SMS_KEY) are the SMS gateway and its signing key;
	// DingTalkWebhook and DingTalkSecret (FENGQIAO_DINGTALK_WEBHOOK, FENGQIAO_DINGTALK_SECRET) the
	// supervisors' group robot. Unset, notices reach the in-app inbox only.
	SMSURL, SMSKey                  string
	DingTalkWebhook, DingTalkSecret string
}

func loadConfig(dev bool) config {
	demoDefault := "0"
	if dev {
		demoDefault = "1"
	}
	return config{
		Addr:            env("FENGQIAO_ADDR", "127.0.0.1:8080"),
		Data:            env("FENGQIAO_DATA", "./.fengqiao"),
		TemporalListen:  env("FENGQIAO_TEMPORAL_LISTEN", "127.0.0.1:7233"),
		TemporalUI:      env("FENGQIAO_TEMPORAL_UI", "127.0.0.1:8233"),
		TemporalAddr:    os.Getenv("TEMPORAL_ADDRESS"),
		Namespace:       env("TEMPORAL_NAMESPACE", "default"),
		DatabaseURL:     os.Getenv("DATABASE_URL"),
		PolicyFile:      os.Getenv("FENGQIAO_POLICY"),
		AdminPassword:   os.Getenv("FENGQIAO_ADMIN_PASSWORD"),
		Demo:            env("FENGQIAO_DEMO", demoDefault) == "1",
		SecureCookies:   env("FENGQIAO_SECURE_COOKIES", "0") == "1",
		TrustedProxies:  list(os.Getenv("FENGQIAO_TRUSTED_PROXIES")),
		TemporalUIWrite: env("FENGQIAO_TEMPORAL_UI_WRITE", "0") == "1",
		SMSURL:          os.Getenv("FENGQIAO_SMS_URL"),
		SMSKey:          os.Getenv("FENGQIAO_SMS_KEY"),
		DingTalkWebhook: os.Getenv("FENGQIAO_DINGTALK_WEBHOOK"),
		DingTalkSecret:  os.Getenv("FENGQIAO_DINGTALK_SECRET"),
	}
}

// list splits a comma-separated value, dropping blanks.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// databaseDSN is DATABASE_URL, or the SQLite file in the data folder.
func (c config) databaseDSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.Data, "fengqiao.db")
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}
