package security

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBearerToken(t *testing.T) {
	tests := []struct {
		name      string
		headers   []string // Authorization values; nil sends none
		wantToken string
		wantErr   error
	}{
		{name: "no header", wantErr: ErrNoCredentials},
		{name: "blank header", headers: []string{"  "}, wantErr: ErrNoCredentials},
		{name: "canonical", headers: []string{"Bearer abc.def-ghi_jkl~mno+pqr/stu=="}, wantToken: "abc.def-ghi_jkl~mno+pqr/stu=="},
		{name: "lower case scheme", headers: []string{"bearer tok"}, wantToken: "tok"},
		{name: "mixed case scheme", headers: []string{"bEaReR tok"}, wantToken: "tok"},
		{name: "upper case scheme", headers: []string{"BEARER tok"}, wantToken: "tok"},
		{name: "several spaces", headers: []string{"Bearer    tok"}, wantToken: "tok"},
		{name: "tab separator", headers: []string{"Bearer\ttok"}, wantToken: "tok"},
		{name: "surrounding whitespace", headers: []string{" \tBearer tok \t"}, wantToken: "tok"},
		{name: "padding only at the end", headers: []string{"Bearer dG9r=="}, wantToken: "dG9r=="},
		{name: "jwt", headers: []string{"Bearer " + confToken}, wantToken: confToken},
		{name: "bearer alone", headers: []string{"Bearer"}, wantErr: ErrMalformedCredentials},
		{name: "bearer with blank token", headers: []string{"Bearer    "}, wantErr: ErrMalformedCredentials},
		{name: "space inside token", headers: []string{"Bearer to ken"}, wantErr: ErrMalformedCredentials},
		{name: "comma in token", headers: []string{"Bearer a,b"}, wantErr: ErrMalformedCredentials},
		{name: "quote in token", headers: []string{`Bearer "tok"`}, wantErr: ErrMalformedCredentials},
		{name: "at sign in token", headers: []string{"Bearer to@ken"}, wantErr: ErrMalformedCredentials},
		{name: "non-ascii in token", headers: []string{"Bearer tökén"}, wantErr: ErrMalformedCredentials},
		{name: "padding in the middle", headers: []string{"Bearer ab=c"}, wantErr: ErrMalformedCredentials},
		{name: "padding only", headers: []string{"Bearer =="}, wantErr: ErrMalformedCredentials},
		{name: "auth-params instead of token", headers: []string{`Bearer realm="x"`}, wantErr: ErrMalformedCredentials},
		{name: "two headers", headers: []string{"Bearer a", "Bearer b"}, wantErr: ErrMalformedCredentials},
		{name: "basic scheme", headers: []string{confBasicHeader("u", "p")}, wantErr: ErrNoCredentials},
		{name: "scheme glued to token", headers: []string{"Bearertok"}, wantErr: ErrNoCredentials},
		{name: "other scheme", headers: []string{"Token tok"}, wantErr: ErrNoCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, h := range tt.headers {
				r.Header.Add("Authorization", h)
			}
			got, err := BearerToken(r)
			if tt.wantErr == nil {
				if err != nil || got != tt.wantToken {
					t.Fatalf("BearerToken = %q, %v; want %q", got, err, tt.wantToken)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || got != "" {
				t.Fatalf("BearerToken = %q, %v; want an error wrapping %v", got, err, tt.wantErr)
			}
			if errors.Is(err, ErrNoCredentials) && errors.Is(err, ErrMalformedCredentials) {
				t.Errorf("error %v wraps both categories", err)
			}
		})
	}
}

func TestBearerChallenge(t *testing.T) {
	tests := []struct {
		name                            string
		realm, errCode, description, sc string
		want                            string
	}{
		{name: "bare", want: "Bearer"},
		{name: "realm", realm: "example", want: `Bearer realm="example"`},
		{
			name: "insufficient scope", errCode: "insufficient_scope", sc: "me items",
			want: `Bearer error="insufficient_scope", scope="me items"`,
		},
		{
			name: "everything", realm: "example", errCode: "invalid_token", description: "The access token expired",
			sc:   "me",
			want: `Bearer realm="example", error="invalid_token", error_description="The access token expired", scope="me"`,
		},
		{name: "realm escaped", realm: `a "q" \ b`, want: `Bearer realm="a \"q\" \\ b"`},
		{
			name: "description cleaned", errCode: "invalid_token", description: "bad \"quote\" and \\ and \x01 and é",
			want: `Bearer error="invalid_token", error_description="bad 'quote' and / and  and"`,
		},
		{name: "scope whitespace collapsed", sc: "  me \t items\n", want: `Bearer scope="me items"`},
		{name: "scope characters cleaned", sc: `m"e it\ems`, want: `Bearer scope="me items"`},
		{name: "empty after cleaning", errCode: "\x01", description: "\x7f", sc: `"`, want: "Bearer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BearerChallenge(tt.realm, tt.errCode, tt.description, tt.sc); got != tt.want {
				t.Errorf("BearerChallenge = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHTTPBearerMalformedChallenge(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   string
	}{
		{"no token", "Bearer", `Bearer realm="api", error="invalid_token", error_description="` + detailBearerNoToken + `"`},
		{"bad characters", "Bearer a b", `Bearer realm="api", error="invalid_token", error_description="` + detailBearerGrammar + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Authorization", tt.header)
			_, err := HTTPBearer{Realm: "api", Optional: true}.Authenticate(r)
			var se *Error
			if !errors.As(err, &se) || !errors.Is(err, ErrMalformedCredentials) {
				t.Fatalf("err = %v, want a malformed refusal", err)
			}
			if len(se.Challenges) != 1 || se.Challenges[0] != tt.want {
				t.Errorf("challenges = %q, want %q", se.Challenges, tt.want)
			}
		})
	}
}

func FuzzBearerToken(f *testing.F) {
	for _, seed := range []string{
		"", "Bearer", "Bearer ", "Bearer abc", "bearer abc==", "Bearer a b", "Bearer a=b", "Basic dTpw",
		"Bearer " + confToken, " Bearer\ttok ", "Bearer ===", "BEARER ~+/-._", "Bearer tök",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{header}
		token, err := BearerToken(r)
		if err != nil {
			if token != "" {
				t.Fatalf("BearerToken returned %q with error %v", token, err)
			}
			if !errors.Is(err, ErrNoCredentials) && !errors.Is(err, ErrMalformedCredentials) {
				t.Fatalf("error %v wraps neither category", err)
			}
			return
		}
		if !isB64Token(token) || !strings.Contains(header, token) {
			t.Fatalf("accepted %q from %q", token, header)
		}
		// The token sent again in canonical form reads the same.
		r.Header["Authorization"] = []string{"Bearer " + token}
		again, err := BearerToken(r)
		if err != nil || again != token {
			t.Fatalf("round trip of %q gave %q, %v", token, again, err)
		}
		got, err := HTTPBearer{}.Authenticate(r)
		if err != nil || got.(HTTPBearer).Token() != token {
			t.Fatalf("HTTPBearer.Authenticate = %v, %v", got, err)
		}
	})
}
