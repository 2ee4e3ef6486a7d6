package security

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/internal/problem"
)

// conformanceCase describes one scheme for the suite every scheme must pass.
// To put a new scheme through it, append one entry to conformanceCases.
//
// Request builders return a fresh request each call; a nil builder means the
// situation does not exist for the scheme (a cookie, say, cannot be sent in a
// malformed way that the scheme could see).
type conformanceCase struct {
	name string
	// scheme is configured in required mode, optional is the same scheme in
	// optional mode.
	scheme, optional Scheme

	// valid carries a good credential; credential reads it back from the
	// authenticated copy and must give wantCredential.
	valid          func(t testing.TB) *http.Request
	credential     func(Scheme) string
	wantCredential string
	// malformed carries a credential that cannot be parsed.
	malformed func(t testing.TB) *http.Request
	// wrongScheme carries a credential meant for another scheme, which this
	// one must treat as missing.
	wrongScheme func(t testing.TB) *http.Request
	// invalid carries a well-formed but wrong credential.
	invalid func(t testing.TB) *http.Request
	// secrets must never appear in a refusal's detail.
	secrets []string

	// The exact WWW-Authenticate values of each refusal, after normalize
	// (when set) has rewritten the parts that change per response, such as
	// a digest nonce.
	wantMissing, wantMalformed, wantInvalid []string
	normalize                               func(string) string

	// wantOpenAPI is the expected Security Scheme Object as JSON.
	wantOpenAPI string

	// fromGin reads the credential back in a gin handler that runs after
	// the scheme's HandlerFunc.
	fromGin func(c *gin.Context) (string, bool)
}

// Shared fixtures of the suite.
const (
	confKey      = "k-3f9a1c7e"
	confWrongKey = "k-wrong-0000"
	confToken    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqb2huZG9lIn0.c2lnbmF0dXJl"
	confBadToken = "tok@en with spaces"
	confUser     = "johndoe"
	confPassword = "s3cr:et"
)

// Credential readers shared by the cases. They go through interfaces, so
// they also read the copy an embedding type's promoted Authenticate returns.
func confKeyOf(s Scheme) string   { return s.(interface{ Key() string }).Key() }
func confTokenOf(s Scheme) string { return s.(TokenCredential).Token() }
func confBasicOf(s Scheme) string {
	b := s.(interface {
		Username() string
		Password() string
	})
	return b.Username() + ":" + b.Password()
}

// confRequest returns a GET request to target with each mutation applied.
func confRequest(target string, mutate ...func(*http.Request)) func(t testing.TB) *http.Request {
	return func(t testing.TB) *http.Request {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, target, nil)
		for _, m := range mutate {
			m(r)
		}
		return r
	}
}

func confHeader(name string, values ...string) func(*http.Request) {
	return func(r *http.Request) {
		for _, v := range values {
			r.Header.Add(name, v)
		}
	}
}

func confCookie(name, value string) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: name, Value: value}) }
}

func confBasicHeader(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// confCheckBasic is a Validate for HTTPBasic that accepts confUser with
// confPassword.
func confCheckBasic(_ context.Context, user, pass string) (bool, error) {
	u := subtle.ConstantTimeCompare([]byte(user), []byte(confUser))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(confPassword))
	return u&p == 1, nil
}

// confAdminKey shows that a user's named type can embed a scheme: its methods
// are promoted, so confAdminKey is a Scheme with the embedded configuration.
type confAdminKey struct{ APIKeyHeader }

// confOptional returns a copy of s in confOptional mode. The cases use it so both
// modes share one configuration.
func confOptional[T any](s T, set func(*T)) T {
	set(&s)
	return s
}

var confAPIKeyHeader = APIKeyHeader{
	SchemeID: "apiKeyHeader", Name: "X-API-Key", Description: "A key in a header.", Validate: StaticKeys(confKey),
}
var confAPIKeyQuery = APIKeyQuery{
	SchemeID: "apiKeyQuery", Name: "api_key", Description: "A key in the query.", Validate: StaticKeys(confKey),
}
var confAPIKeyCookie = APIKeyCookie{
	SchemeID: "apiKeyCookie", Name: "api_key", Description: "A key in a cookie.", Validate: StaticKeys(confKey),
}
var confBasic = HTTPBasic{
	SchemeID: "basic", Description: "Users and passwords.", Realm: `the "example" realm`, Validate: confCheckBasic,
}
var confBearer = HTTPBearer{SchemeID: "bearer", Description: "A JWT.", BearerFormat: "JWT", Realm: "api"}
var confPasswordBearer = OAuth2PasswordBearer{
	SchemeID: "password", Description: "Password flow.", TokenURL: "/token",
	Scopes: Scopes{"me": "Read your profile.", "items": "Read your items."},
}
var confClientCredentials = OAuth2ClientCredentials{
	SchemeID: "clientCredentials", TokenURL: "/token", RefreshURL: "/refresh", Scopes: Scopes{"items": "Read items."},
}
var confAuthorizationCode = OAuth2AuthorizationCodeBearer{
	SchemeID: "authorizationCode", AuthorizationURL: "/authorize", TokenURL: "/token",
}
var confImplicit = OAuth2Implicit{
	SchemeID: "implicit", AuthorizationURL: "/authorize", Scopes: Scopes{"me": "Read your profile."},
}
var confOAuth2 = OAuth2{
	SchemeID: "oauth2",
	Flows: OAuth2Flows{
		Password:          &OAuth2Flow{TokenURL: "/token", Scopes: Scopes{"me": "Read your profile."}},
		ClientCredentials: &OAuth2Flow{TokenURL: "/token", Scopes: Scopes{"items": "Read items."}},
	},
}

// Requests shared by the token schemes.
var (
	confReqNone            = confRequest("/")
	confReqBearer          = confRequest("/", confHeader("Authorization", "Bearer "+confToken))
	confReqBadBearer       = confRequest("/", confHeader("Authorization", "Bearer "+confBadToken))
	confReqBasic           = confRequest("/", confHeader("Authorization", confBasicHeader(confUser, confPassword)))
	confBadBearerChallenge = `error="invalid_token", error_description="` + detailBearerGrammar + `"`
)

// confTokenCase fills in what every bearer-token scheme shares.
func confTokenCase(name string, s, opt Scheme, wantOpenAPI string, fromGin func(*gin.Context) (string, bool)) conformanceCase {
	return conformanceCase{
		name: name, scheme: s, optional: opt,
		valid: confReqBearer, credential: confTokenOf, wantCredential: confToken,
		malformed: confReqBadBearer, wrongScheme: confReqBasic,
		secrets:     []string{confToken, confBadToken, confPassword},
		wantMissing: []string{"Bearer"}, wantMalformed: []string{"Bearer " + confBadBearerChallenge},
		wantOpenAPI: wantOpenAPI, fromGin: fromGin,
	}
}

// confFromGin returns a fromGin that reads a scheme of type T with read.
func confFromGin[T Scheme](read func(Scheme) string) func(*gin.Context) (string, bool) {
	return func(c *gin.Context) (string, bool) {
		s, ok := From[T](c)
		if !ok {
			return "", false
		}
		return read(s), true
	}
}

var conformanceCases = []conformanceCase{
	{
		name: "APIKeyHeader", scheme: confAPIKeyHeader,
		optional: confOptional(confAPIKeyHeader, func(s *APIKeyHeader) { s.Optional = true }),
		valid:    confRequest("/", confHeader("X-API-Key", confKey)), credential: confKeyOf, wantCredential: confKey,
		malformed:   confRequest("/", confHeader("X-API-Key", confKey, confWrongKey)),
		wrongScheme: confRequest("/", confHeader("X-Other-Key", confKey)),
		invalid:     confRequest("/", confHeader("X-API-Key", confWrongKey)),
		secrets:     []string{confKey, confWrongKey},
		wantMissing: []string{"APIKey"}, wantMalformed: []string{"APIKey"}, wantInvalid: []string{"APIKey"},
		wantOpenAPI: `{"type":"apiKey","in":"header","name":"X-API-Key","description":"A key in a header."}`,
		fromGin:     confFromGin[APIKeyHeader](confKeyOf),
	},
	{
		name: "APIKeyQuery", scheme: confAPIKeyQuery,
		optional: confOptional(confAPIKeyQuery, func(s *APIKeyQuery) { s.Optional = true }),
		valid:    confRequest("/?api_key=" + confKey), credential: confKeyOf, wantCredential: confKey,
		malformed:   confRequest("/?api_key=" + confKey + "&api_key=" + confWrongKey),
		wrongScheme: confRequest("/?key=" + confKey),
		invalid:     confRequest("/?api_key=" + confWrongKey),
		secrets:     []string{confKey, confWrongKey},
		wantMissing: []string{"APIKey"}, wantMalformed: []string{"APIKey"}, wantInvalid: []string{"APIKey"},
		wantOpenAPI: `{"type":"apiKey","in":"query","name":"api_key","description":"A key in the query."}`,
		fromGin:     confFromGin[APIKeyQuery](confKeyOf),
	},
	{
		name: "APIKeyCookie", scheme: confAPIKeyCookie,
		optional: confOptional(confAPIKeyCookie, func(s *APIKeyCookie) { s.Optional = true }),
		valid:    confRequest("/", confCookie("api_key", confKey)), credential: confKeyOf, wantCredential: confKey,
		wrongScheme: confRequest("/", confCookie("session", confKey)),
		invalid:     confRequest("/", confCookie("api_key", confWrongKey)),
		secrets:     []string{confKey, confWrongKey},
		wantMissing: []string{"APIKey"}, wantInvalid: []string{"APIKey"},
		wantOpenAPI: `{"type":"apiKey","in":"cookie","name":"api_key","description":"A key in a cookie."}`,
		fromGin:     confFromGin[APIKeyCookie](confKeyOf),
	},
	{
		// A user's type that embeds a scheme. Its promoted Authenticate
		// returns the embedded type, so From reads that type back.
		name: "embedded APIKeyHeader", scheme: confAdminKey{confAPIKeyHeader},
		optional: confAdminKey{confOptional(confAPIKeyHeader, func(s *APIKeyHeader) { s.Optional = true })},
		valid:    confRequest("/", confHeader("X-API-Key", confKey)), credential: confKeyOf, wantCredential: confKey,
		malformed:   confRequest("/", confHeader("X-API-Key", confKey, confKey)),
		wrongScheme: confRequest("/", confHeader("Authorization", "Bearer "+confKey)),
		invalid:     confRequest("/", confHeader("X-API-Key", confWrongKey)),
		secrets:     []string{confKey, confWrongKey},
		wantMissing: []string{"APIKey"}, wantMalformed: []string{"APIKey"}, wantInvalid: []string{"APIKey"},
		wantOpenAPI: `{"type":"apiKey","in":"header","name":"X-API-Key","description":"A key in a header."}`,
		fromGin:     confFromGin[APIKeyHeader](confKeyOf),
	},
	{
		name: "HTTPBasic", scheme: confBasic,
		optional: confOptional(confBasic, func(s *HTTPBasic) { s.Optional = true }),
		valid:    confReqBasic, credential: confBasicOf, wantCredential: confUser + ":" + confPassword,
		malformed:     confRequest("/", confHeader("Authorization", "Basic "+confPassword)),
		wrongScheme:   confReqBearer,
		invalid:       confRequest("/", confHeader("Authorization", confBasicHeader(confUser, "not-"+confPassword))),
		secrets:       []string{confUser, confPassword},
		wantMissing:   []string{`Basic realm="the \"example\" realm", charset="UTF-8"`},
		wantMalformed: []string{`Basic realm="the \"example\" realm", charset="UTF-8"`},
		wantInvalid:   []string{`Basic realm="the \"example\" realm", charset="UTF-8"`},
		wantOpenAPI:   `{"type":"http","scheme":"basic","description":"Users and passwords."}`,
		fromGin:       confFromGin[HTTPBasic](confBasicOf),
	},
	{
		name: "HTTPBearer", scheme: confBearer,
		optional: confOptional(confBearer, func(s *HTTPBearer) { s.Optional = true }),
		valid:    confReqBearer, credential: confTokenOf, wantCredential: confToken,
		malformed: confReqBadBearer, wrongScheme: confReqBasic,
		secrets:       []string{confToken, confBadToken, confPassword},
		wantMissing:   []string{`Bearer realm="api"`},
		wantMalformed: []string{`Bearer realm="api", ` + confBadBearerChallenge},
		wantOpenAPI:   `{"type":"http","scheme":"bearer","bearerFormat":"JWT","description":"A JWT."}`,
		fromGin:       confFromGin[HTTPBearer](confTokenOf),
	},
	confTokenCase("OAuth2PasswordBearer", confPasswordBearer,
		confOptional(confPasswordBearer, func(s *OAuth2PasswordBearer) { s.Optional = true }),
		`{"type":"oauth2","description":"Password flow.","flows":{"password":{"tokenUrl":"/token",
		"scopes":{"items":"Read your items.","me":"Read your profile."}}}}`,
		confFromGin[OAuth2PasswordBearer](confTokenOf)),
	confTokenCase("OAuth2ClientCredentials", confClientCredentials,
		confOptional(confClientCredentials, func(s *OAuth2ClientCredentials) { s.Optional = true }),
		`{"type":"oauth2","flows":{"clientCredentials":{"tokenUrl":"/token","refreshUrl":"/refresh",
		"scopes":{"items":"Read items."}}}}`,
		confFromGin[OAuth2ClientCredentials](confTokenOf)),
	confTokenCase("OAuth2AuthorizationCodeBearer", confAuthorizationCode,
		confOptional(confAuthorizationCode, func(s *OAuth2AuthorizationCodeBearer) { s.Optional = true }),
		`{"type":"oauth2","flows":{"authorizationCode":{"authorizationUrl":"/authorize","tokenUrl":"/token",
		"scopes":{}}}}`,
		confFromGin[OAuth2AuthorizationCodeBearer](confTokenOf)),
	confTokenCase("OAuth2Implicit", confImplicit,
		confOptional(confImplicit, func(s *OAuth2Implicit) { s.Optional = true }),
		`{"type":"oauth2","flows":{"implicit":{"authorizationUrl":"/authorize",
		"scopes":{"me":"Read your profile."}}}}`,
		confFromGin[OAuth2Implicit](confTokenOf)),
	confTokenCase("OAuth2", confOAuth2,
		confOptional(confOAuth2, func(s *OAuth2) { s.Optional = true }),
		`{"type":"oauth2","flows":{"password":{"tokenUrl":"/token","scopes":{"me":"Read your profile."}},
		"clientCredentials":{"tokenUrl":"/token","scopes":{"items":"Read items."}}}}`,
		confFromGin[OAuth2](confTokenOf)),
	{
		name: "OpenIdConnect", scheme: confOIDC,
		optional: confOptional(confOIDC, func(s *OpenIdConnect) { s.Optional = true }),
		valid:    confRequest("/", confHeader("Authorization", "Bearer "+confOIDCToken)), credential: confTokenOf,
		wantCredential: confOIDCToken,
		malformed:      confReqBadBearer, wrongScheme: confReqBasic,
		invalid:     confRequest("/", confHeader("Authorization", "Bearer "+confOIDCBadAud)),
		secrets:     []string{confOIDCToken, confOIDCBadAud, confBadToken, confPassword},
		wantMissing: []string{"Bearer"}, wantMalformed: []string{"Bearer " + confBadBearerChallenge},
		wantInvalid: []string{confOIDCChallenge},
		wantOpenAPI: `{"type":"openIdConnect","openIdConnectUrl":"https://issuer.test/.well-known/openid-configuration",
		"description":"Sign in with the issuer."}`,
		fromGin: confFromGin[OpenIdConnect](confTokenOf),
	},
}

// confSentinels are the refusal categories; a refusal wraps exactly one.
var confSentinels = []error{ErrNoCredentials, ErrMalformedCredentials, ErrInvalidCredentials, ErrInsufficientScope}

// checkRefusal asserts that err is a 401 *Error of category kind with the
// wanted challenges and a detail that gives no secret away.
func (tc conformanceCase) checkRefusal(t *testing.T, got Scheme, err error, kind error, wantChallenges []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Authenticate accepted the request; want a refusal wrapping %v", kind)
	}
	if got != nil {
		t.Errorf("Authenticate returned %#v with its error; want nil", got)
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	for _, s := range confSentinels {
		if errors.Is(err, s) != (s == kind) {
			t.Errorf("errors.Is(err, %v) = %v; the refusal must wrap only %v", s, errors.Is(err, s), kind)
		}
	}
	if se.StatusCode() != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", se.StatusCode())
	}
	if se.Detail == "" {
		t.Error("the refusal has an empty detail")
	}
	for _, secret := range tc.secrets {
		if strings.Contains(se.Detail, secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("the refusal %q repeats the credential %q", err.Error(), secret)
		}
	}
	if got := tc.normalized(se.Challenges); !slices.Equal(got, wantChallenges) {
		t.Errorf("challenges = %q, want %q", got, wantChallenges)
	}
}

// normalized applies tc.normalize to each challenge.
func (tc conformanceCase) normalized(challenges []string) []string {
	out := slices.Clone(challenges)
	if tc.normalize != nil {
		for i, c := range out {
			out[i] = tc.normalize(c)
		}
	}
	return out
}

// checkAbsent asserts that an confOptional scheme let a request without a
// credential through.
func (tc conformanceCase) checkAbsent(t *testing.T, got Scheme, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("confOptional scheme refused a request without credentials: %v", err)
	}
	if got == nil {
		t.Fatal("confOptional scheme returned a nil scheme and no error")
	}
	if got.Present() {
		t.Error("Present() = true for a request without credentials")
	}
	if c := tc.credential(got); strings.Trim(c, ":") != "" {
		t.Errorf("credential = %q for a request without credentials, want empty", c)
	}
}

// checkAccepted asserts that s accepted the valid credential without
// touching the configured value.
func (tc conformanceCase) checkAccepted(t *testing.T, configured, got Scheme, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Authenticate refused a valid credential: %v", err)
	}
	if !got.Present() {
		t.Error("Present() = false after a valid credential")
	}
	if c := tc.credential(got); c != tc.wantCredential {
		t.Errorf("credential = %q, want %q", c, tc.wantCredential)
	}
	if configured.Present() {
		t.Error("Authenticate changed the configured value: it reports a credential")
	}
	if got.SchemeName() != configured.SchemeName() {
		t.Errorf("SchemeName changed from %q to %q", configured.SchemeName(), got.SchemeName())
	}
}

func TestConformance(t *testing.T) {
	for _, tc := range conformanceCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("missing", func(t *testing.T) {
				got, err := tc.scheme.Authenticate(confReqNone(t))
				tc.checkRefusal(t, got, err, ErrNoCredentials, tc.wantMissing)
			})
			t.Run("missing/optional", func(t *testing.T) {
				got, err := tc.optional.Authenticate(confReqNone(t))
				tc.checkAbsent(t, got, err)
			})
			t.Run("valid", func(t *testing.T) {
				got, err := tc.scheme.Authenticate(tc.valid(t))
				tc.checkAccepted(t, tc.scheme, got, err)
			})
			t.Run("valid/optional", func(t *testing.T) {
				got, err := tc.optional.Authenticate(tc.valid(t))
				tc.checkAccepted(t, tc.optional, got, err)
			})
			if tc.malformed != nil {
				t.Run("malformed", func(t *testing.T) {
					got, err := tc.scheme.Authenticate(tc.malformed(t))
					tc.checkRefusal(t, got, err, ErrMalformedCredentials, tc.wantMalformed)
				})
				t.Run("malformed/optional", func(t *testing.T) {
					got, err := tc.optional.Authenticate(tc.malformed(t))
					tc.checkRefusal(t, got, err, ErrMalformedCredentials, tc.wantMalformed)
				})
			}
			if tc.wrongScheme != nil {
				t.Run("wrong scheme", func(t *testing.T) {
					got, err := tc.scheme.Authenticate(tc.wrongScheme(t))
					tc.checkRefusal(t, got, err, ErrNoCredentials, tc.wantMissing)
				})
				t.Run("wrong scheme/optional", func(t *testing.T) {
					got, err := tc.optional.Authenticate(tc.wrongScheme(t))
					tc.checkAbsent(t, got, err)
				})
			}
			if tc.invalid != nil {
				t.Run("invalid", func(t *testing.T) {
					got, err := tc.scheme.Authenticate(tc.invalid(t))
					tc.checkRefusal(t, got, err, ErrInvalidCredentials, tc.wantInvalid)
				})
				t.Run("invalid/optional", func(t *testing.T) {
					got, err := tc.optional.Authenticate(tc.invalid(t))
					tc.checkRefusal(t, got, err, ErrInvalidCredentials, tc.wantInvalid)
				})
			}
			t.Run("openapi", func(t *testing.T) { tc.checkOpenAPI(t) })
			t.Run("gin", func(t *testing.T) { tc.checkGin(t) })
			t.Run("concurrent", func(t *testing.T) { tc.checkConcurrent(t) })
		})
	}
}

// checkOpenAPI compares the marshalled Security Scheme Object with the
// expected JSON, checks that kin-openapi finds it valid, and that each call
// returns a value of its own.
func (tc conformanceCase) checkOpenAPI(t *testing.T) {
	t.Helper()
	doc := tc.scheme.OpenAPI()
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if g, w := confCanonicalJSON(t, got), confCanonicalJSON(t, []byte(tc.wantOpenAPI)); g != w {
		t.Errorf("OpenAPI =\n%s\nwant\n%s", g, w)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("kin-openapi rejects the scheme: %v", err)
	}
	if tc.optional.OpenAPI() == doc || tc.scheme.OpenAPI() == doc {
		t.Error("OpenAPI returned the same pointer twice")
	}
	// Changing one result must not change the next one.
	doc.Description = "changed"
	if doc.Flows != nil {
		if doc.Flows.Password != nil {
			doc.Flows.Password.Scopes["changed"] = "x"
		}
		if doc.Flows.ClientCredentials != nil {
			doc.Flows.ClientCredentials.Scopes["changed"] = "x"
		}
		if doc.Flows.AuthorizationCode != nil {
			doc.Flows.AuthorizationCode.Scopes["changed"] = "x"
		}
		if doc.Flows.Implicit != nil {
			doc.Flows.Implicit.Scopes["changed"] = "x"
		}
	}
	again, err := json.Marshal(tc.scheme.OpenAPI())
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if confCanonicalJSON(t, again) != confCanonicalJSON(t, []byte(tc.wantOpenAPI)) {
		t.Errorf("changing one OpenAPI result changed the next one:\n%s", again)
	}
}

// confCanonicalJSON re-encodes b so that equal documents compare equal whatever
// their whitespace and key order.
func confCanonicalJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(out)
}

// checkGin serves the scheme's HandlerFunc in a gin engine over HTTP.
func (tc conformanceCase) checkGin(t *testing.T) {
	t.Helper()
	hf, ok := tc.scheme.(interface{ HandlerFunc() gin.HandlerFunc })
	if !ok {
		t.Fatalf("%T has no HandlerFunc method", tc.scheme)
	}
	gin.SetMode(gin.TestMode)
	engine := gin.New()
	engine.GET("/", hf.HandlerFunc(), func(c *gin.Context) {
		cred, ok := tc.fromGin(c)
		if !ok {
			c.String(http.StatusInternalServerError, "From found no scheme")
			return
		}
		c.String(http.StatusOK, cred)
	})
	srv := httptest.NewServer(engine)
	t.Cleanup(srv.Close)

	do := func(t *testing.T, build func(testing.TB) *http.Request) (*http.Response, []byte) {
		t.Helper()
		in := build(t)
		req, err := http.NewRequest(http.MethodGet, srv.URL+in.URL.RequestURI(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header = in.Header.Clone()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		if _, err := body.ReadFrom(resp.Body); err != nil {
			t.Fatal(err)
		}
		return resp, body.Bytes()
	}

	t.Run("valid", func(t *testing.T) {
		resp, body := do(t, tc.valid)
		if resp.StatusCode != http.StatusOK || string(body) != tc.wantCredential {
			t.Errorf("got %d %q, want 200 %q", resp.StatusCode, body, tc.wantCredential)
		}
	})
	refusals := []struct {
		name  string
		build func(testing.TB) *http.Request
		want  []string
	}{
		{"missing", confReqNone, tc.wantMissing},
		{"malformed", tc.malformed, tc.wantMalformed},
		{"invalid", tc.invalid, tc.wantInvalid},
	}
	for _, rc := range refusals {
		if rc.build == nil {
			continue
		}
		t.Run(rc.name, func(t *testing.T) {
			resp, body := do(t, rc.build)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != problem.ContentType {
				t.Errorf("Content-Type = %q, want %q", ct, problem.ContentType)
			}
			var p problem.Details
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body %s is not a problem: %v", body, err)
			}
			if p.Detail == "" || p.Status != http.StatusUnauthorized {
				t.Errorf("problem = %+v, want status 401 and a detail", p)
			}
			if got := tc.normalized(resp.Header.Values("WWW-Authenticate")); !slices.Equal(got, rc.want) {
				t.Errorf("WWW-Authenticate = %q, want %q", got, rc.want)
			}
		})
	}
}

// checkConcurrent authenticates good and bad requests from many goroutines
// with one configured value; the race detector reports any shared write.
func (tc conformanceCase) checkConcurrent(t *testing.T) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			build := tc.valid
			if i%2 == 1 {
				build = confReqNone
			}
			got, err := tc.scheme.Authenticate(build(t))
			switch {
			case i%2 == 0 && (err != nil || tc.credential(got) != tc.wantCredential):
				errs <- "valid request refused or misread"
			case i%2 == 1 && !errors.Is(err, ErrNoCredentials):
				errs <- "missing credential not refused"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if tc.scheme.Present() {
		t.Error("the configured value reports a credential after concurrent use")
	}
}

// TestEmbeddedScheme shows that a user's type embedding a scheme is a Scheme
// with the embedded configuration, and that the credential its promoted
// Authenticate returns can be put back into the user's type.
func TestEmbeddedScheme(t *testing.T) {
	var s Scheme = confAdminKey{confAPIKeyHeader}
	if _, ok := s.(interface{ HandlerFunc() gin.HandlerFunc }); !ok {
		t.Error("HandlerFunc is not promoted")
	}
	if got := s.SchemeName(); got != "apiKeyHeader" {
		t.Errorf("SchemeName = %q", got)
	}
	got, err := s.Authenticate(confRequest("/", confHeader("X-API-Key", confKey))(t))
	if err != nil {
		t.Fatal(err)
	}
	inner, ok := got.(APIKeyHeader)
	if !ok {
		t.Fatalf("Authenticate returned %T, want the embedded APIKeyHeader", got)
	}
	back := confAdminKey{inner}
	if !back.Present() || back.Key() != confKey || back.Name != "X-API-Key" {
		t.Errorf("confAdminKey{authenticated} = Present %v, Key %q, Name %q", back.Present(), back.Key(), back.Name)
	}
}
