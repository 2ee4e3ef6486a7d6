package deploying_test

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/deploying"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

var quiet = framework.Logger(slog.New(slog.DiscardHandler))

func start(t *testing.T, secret []byte, proxies ...string) *frameworktest.App {
	t.Helper()
	return frameworktest.Start(t, deploying.App(secret, proxies, quiet), passwordflow.FastHashing())
}

func TestSecretFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr error
	}{
		{name: "missing", value: "", wantErr: deploying.ErrNoSecret},
		{name: "too short", value: "short", wantErr: deploying.ErrNoSecret},
		{name: "long enough", value: strings.Repeat("k", 32)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := deploying.SecretFromEnv(func(name string) string {
				if name != "JWT_SECRET" {
					t.Errorf("read %s, want JWT_SECRET", name)
				}
				return tt.value
			})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err == nil && string(got) != tt.value {
				t.Errorf("secret %q, want %q", got, tt.value)
			}
		})
	}
}

func TestTrustedProxies(t *testing.T) {
	tests := []struct {
		name    string
		proxies []string
		want    string
	}{
		{name: "the proxy is trusted", proxies: []string{"127.0.0.1/32"}, want: "203.0.113.7"},
		{name: "the peer is not a trusted proxy", proxies: []string{"10.0.0.0/8"}, want: "127.0.0.1"},
		{name: "no proxy trusted", proxies: nil, want: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := start(t, passwordflow.TestSecret, tt.proxies...)
			var got deploying.ClientIP
			app.Get("/ip", "X-Forwarded-For", "203.0.113.7").JSON(t, &got)
			if got.IP != tt.want {
				t.Errorf("client IP %q, want %q", got.IP, tt.want)
			}
		})
	}
}

func TestInstancesShareTheSecret(t *testing.T) {
	a := start(t, passwordflow.TestSecret)
	b := start(t, passwordflow.TestSecret)
	other := start(t, []byte(strings.Repeat("another secret ", 3)))
	tok := a.Token("johndoe", "secret")
	tests := []struct {
		name   string
		app    *frameworktest.App
		status int
	}{
		{name: "the instance that issued it", app: a, status: http.StatusOK},
		{name: "another instance with the same secret", app: b, status: http.StatusOK},
		{name: "an instance with another secret", app: other, status: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.app.Get("/whoami", frameworktest.Bearer(tok)...)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
		})
	}
}
