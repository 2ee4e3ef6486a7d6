package config_test

import (
	"errors"
	"testing"

	"github.com/portcullis/portcullis/example-app/config"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    config.Config
		wantErr bool
	}{
		{
			name: "defaults",
			env:  map[string]string{},
			want: config.Config{Addr: "127.0.0.1:8080", DatabaseURL: "example-app.db", DemoAPIKey: "demo-api-key", IssuerURL: "http://127.0.0.1:8080"},
		},
		{
			name: "issuer follows ADDR",
			env:  map[string]string{"ADDR": "127.0.0.1:9999", "DATABASE_URL": "file:x.db"},
			want: config.Config{Addr: "127.0.0.1:9999", DatabaseURL: "file:x.db", DemoAPIKey: "demo-api-key", IssuerURL: "http://127.0.0.1:9999"},
		},
		{
			name: "everything set",
			env: map[string]string{"ADDR": ":1", "JWT_SECRET": "0123456789abcdef0123456789abcdef", "DEMO_API_KEY": "k",
				"ISSUER_URL": "https://api.example.com"},
			want: config.Config{Addr: ":1", DatabaseURL: "example-app.db", JWTSecret: "0123456789abcdef0123456789abcdef", DemoAPIKey: "k",
				IssuerURL: "https://api.example.com"},
		},
		{name: "short secret", env: map[string]string{"JWT_SECRET": "short"}, wantErr: true},
		{name: "relative issuer", env: map[string]string{"ISSUER_URL": "/x"}, wantErr: true},
		{name: "issuer with slash", env: map[string]string{"ISSUER_URL": "http://a.example/"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.FromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if !errors.Is(err, config.ErrInvalid) {
					t.Fatalf("error = %v, want ErrInvalid", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("FromEnv = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
