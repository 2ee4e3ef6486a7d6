// Command portcullis is the command-line tool of the Portcullis framework.
//
// # Usage
//
//	portcullis help
//	portcullis new DIR --module PATH [--auth oauth2-password|apikey|basic|none]
//	                   [--store sqlite|memory] [--force] [--framework-dir PATH]
//
// Install it with `go install github.com/portcullis/portcullis/cmd/portcullis`
// from a checkout, or run it there with `go run ./cmd/portcullis new ...`.
// Flags may stand before or after DIR. `portcullis new -h` lists them.
//
// # The new command
//
// new writes a project that builds, runs and passes its own tests:
//
//   - main.go reads the settings from the environment (ADDR and the
//     variables below) and runs the app with fx, or with -openapi or
//     -routes prints the OpenAPI document or the route table without
//     serving; app.go wires the framework module, the store, the security
//     scheme, the dependencies and the routes;
//   - handlers.go has a public route, GET /status, and a secured one, GET
//     /users/me, whose handler takes the *store.User that the currentUser
//     dependency in auth.go returns;
//   - with --auth oauth2-password (the default), POST /token is the token
//     endpoint of security/oauth2server, checking argon2id hashes made by
//     security/password and issuing HS256 tokens of security/token, signed
//     with JWT_SECRET or with a random secret made at start; /users/me needs
//     the scope "me";
//   - with --auth apikey, the X-API-Key header is checked against SHA-256
//     digests in the store; with --auth basic, HTTP Basic credentials are
//     checked against the password hashes; with --auth none there is no
//     secured route, and GET /users/{username} shows a public profile;
//   - store/ keeps the users in SQLite (--store sqlite, the default, through
//     the pure-Go modernc.org/sqlite driver; DATABASE_URL names the file) or
//     in memory (--store memory), seeded with a demo user;
//   - app_test.go starts the app with framework/frameworktest and logs in
//     for real: through POST /token, or with the real API key or password;
//     store/store_test.go tests the store;
//   - a Makefile with run and test, a README.md and a .gitignore.
//
// Every Go file is formatted with go/format before it is written.
//
// # The framework checkout
//
// The framework is not published, so the generated go.mod requires it at a
// placeholder version and replaces it with a local checkout:
//
//	replace github.com/portcullis/portcullis => /abs/path/of/the/checkout
//
// The checkout is the one named by --framework-dir, or else the first
// directory above the working directory whose go.mod declares the module
// github.com/portcullis/portcullis, or else the one above the source file
// this command was built from. The go.mod copies the checkout's go
// directive and require blocks, and go.sum is copied whole, so the project
// builds with the versions the framework was tested with, from the module
// cache alone when it is warm.
//
// # Safety
//
// new refuses a DIR that exists and is not empty unless --force is given;
// with --force, files of the generated names are overwritten and other files
// are left alone. The module path is checked with the go command's rules
// for module paths (a first element without a dot, such as "myapi", is
// accepted, as `go mod init` does). Every file is rendered in memory first,
// and a missing DIR is filled under a temporary name beside it and renamed
// at the end, so a failure writes nothing. Errors go to standard error with
// exit status 2 for usage mistakes and 1 for other failures.
package main
