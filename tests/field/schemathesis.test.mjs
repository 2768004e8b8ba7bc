// The REST API against its own OpenAPI document (issue 11): schemathesis makes requests
// from /api/v1/openapi.json (valid and invalid bodies, parameters and ids) as a signed-in
// police officer and as an administrator, and the run fails on any server error (5xx) or
// any answer whose status, content type or body the document does not describe. Against
// the release binary, on SQLite and, when it is there (always in CI), PostgreSQL.
//
// SCHEMATHESIS_EXAMPLES raises the number of requests per operation for a longer run
// (`make bench`); the short form in `make test` takes a few minutes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { apiSession, cleanUp, freshDatabase, startServer } from '../e2e/support.mjs';

const SCHEMATHESIS = process.env.SCHEMATHESIS ?? `${homedir()}/.cache/tryggkarta/venv/bin/schemathesis`;
const EXAMPLES = process.env.SCHEMATHESIS_EXAMPLES ?? '12';
after(cleanUp);

/** Runs schemathesis to the end; resolves to its exit code and output. */
function schemathesis(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

for (const kind of ['sqlite', 'postgres']) {
  test(`schemathesis on ${kind}: no server error, every answer as the OpenAPI document says`, { timeout: 900_000 }, async (t) => {
    const database = freshDatabase(kind);
    if (!database) return t.skip('no PostgreSQL');
    // The limits per user would answer 429 to a tool sending hundreds of requests.
    const server = await startServer({
      DATABASE_URL: database,
      TRYGGKARTA_SUBMISSIONS_PER_MINUTE: '100000000',
      TRYGGKARTA_EXPORTS_PER_HOUR: '100000000',
    });
    try {
      for (const role of ['police', 'admin']) {
        const user = server.addUser(`${role}-schemathesis@test.tryggkarta.se`, role, 'Bredden-vid-Mälaren-sju-ekar');
        const cookie = await apiSession(server.baseUrl, user);
        const { code, output } = await schemathesis([
          'run',
          `${server.baseUrl}/api/v1/openapi.json`,
          '--checks',
          'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
          '--header',
          `Cookie: ${cookie}`,
          // Signing in and out, or an admin ending sessions (schemathesis finds the
          // admin's own id in the user list), would end the session the run uses.
          '--exclude-path',
          '/api/v1/session',
          '--exclude-path',
          '/api/v1/users/{id}/sessions',
          '--phases',
          'examples,coverage,fuzzing',
          '--max-examples',
          EXAMPLES,
          '--seed',
          '20261126',
          '--workers',
          '2',
          '--request-timeout',
          '20',
        ]);
        t.diagnostic(`schemathesis as ${role} on ${kind}:\n${output.slice(-1_500)}`);
        assert.equal(code, 0, `schemathesis as ${role} on ${kind} found problems:\n${output.slice(-12_000)}`);
        assert.match(output, /passed/i, output.slice(-2_000));
        // The whole run was made as this user: nothing it sent ended its session.
        const me = await fetch(`${server.baseUrl}/api/v1/session`, { headers: { cookie } });
        assert.equal(me.status, 200, `${role} is still signed in after the run`);
      }
      assert.equal(server.alive(), true, 'the server is still running');
      assert.doesNotMatch(server.log(), /panicked/, 'no panic in the server log');
    } finally {
      await server.stop();
    }
  });
}
