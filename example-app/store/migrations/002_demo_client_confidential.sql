-- demo-client is a confidential client again, as the example-app contract
-- describes it: the scope items and the client credentials grant only.
-- Older seeds gave it every grant, the scopes me, items and openid, and
-- Swagger UI's redirect URIs, because it also stood in for Swagger UI,
-- which now has a public client of its own (swagger-ui, added at start by
-- Store.Seed, since its redirect URIs depend on the configuration).
-- On a new database the table is still empty here, and nothing changes.

UPDATE clients
   SET scopes = 'items', redirect_uris = '', grants = 'client_credentials'
 WHERE id = 'demo-client';
