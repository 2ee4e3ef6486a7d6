package oauth2server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

const formContentType = "application/x-www-form-urlencoded"

// secretParams must never travel in a URL, where proxies and logs keep them.
var secretParams = []string{"password", "client_secret", "refresh_token", "code", "code_verifier"}

// readForm reads an application/x-www-form-urlencoded body of at most max
// bytes. It parses the body itself rather than through Request.ParseForm so
// that query parameters never mix with body parameters.
func readForm(r *http.Request, max int64) (url.Values, *oauthError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != formContentType {
		return nil, invalidRequest("the body must be " + formContentType)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, invalidRequest("the body must be encoded in UTF-8")
	}
	query := r.URL.Query()
	for _, p := range secretParams {
		if query.Has(p) {
			return nil, invalidRequest("parameter " + p + " must be sent in the body, not in the URL")
		}
	}
	if r.Body == nil {
		return url.Values{}, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, max))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &oauthError{status: http.StatusRequestEntityTooLarge, code: codeInvalidRequest, description: "the body is too large"}
		}
		return nil, invalidRequest("the body could not be read")
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, invalidRequest("the body is not a valid form")
	}
	return values, nil
}

// param returns the single value of name in v. RFC 6749 §3.1 and §3.2: a
// parameter without a value counts as omitted, and a parameter sent twice is
// an invalid request.
func param(v url.Values, name string) (string, *oauthError) {
	var got string
	n := 0
	for _, s := range v[name] {
		if s != "" {
			got = s
			n++
		}
	}
	if n > 1 {
		return "", invalidRequest("parameter " + name + " was sent more than once")
	}
	return got, nil
}

// params reads several parameters at once, stopping at the first duplicate.
func params(v url.Values, names ...string) ([]string, *oauthError) {
	out := make([]string, len(names))
	for i, n := range names {
		s, oerr := param(v, n)
		if oerr != nil {
			return nil, oerr
		}
		out[i] = s
	}
	return out, nil
}
