/** How each figure is made, for results.md. */
export const method = `## How each figure is made

**Set-up.** The emulator (\`@azmi/emulator\`) listens on 127.0.0.1 inside the bench's own
process. Every subject runs in a fresh child process (\`node bench/dist/worker.js <measurement>
<subject>\`) whose environment holds only \`PATH\`, \`HOME\` and the hosting environment's
variables: App Service (\`IDENTITY_ENDPOINT\`, \`IDENTITY_HEADER\`) or IMDS reached through
\`AZURE_POD_IDENTITY_AUTHORITY_HOST\`. Each subject is constructed with its defaults and reads
that same environment: \`new ManagedIdentityCredential()\` for \`@azmi/node-io\` and
\`@azure/identity\` (both read \`process.env\`), \`new ManagedIdentityCredential({ env: { ...process.env } })\`
for \`@azmi/fetch-io\` (which never reads a global). All ask for \`https://storage.azure.com/.default\`.
Libraries are loaded as a user installs them: azmi from the packages' built \`dist\` (\`pnpm bench\`
builds them first), \`@azure/identity\` 4.13.1 from its ESM build. In each round the subjects run
one after another, in reverse order every other round; the table shows the median over rounds
and \`results.json\` every round. Ratios are azmi / \`@azure/identity\`: for calls per second
higher is better, for everything else lower.

1. **Cached \`getToken\`.** After the first token, sequential \`await getToken(scope)\` in batches
   of 1,000: a 400 ms warm-up (the rate climbs for a few hundred ms as the JIT and the heap
   settle), then calls counted over a 400 ms window.
2. **Cold token.** In a fresh process, with the library imported and the credential constructed,
   the elapsed time of its first \`getToken\`: connection, request, reply, parsing. Beside it the
   CPU time of that call (\`process.cpuUsage\`), which other work on the machine disturbs less.
   One credential per process: \`@azure/identity\` shares one token cache among all its
   \`ManagedIdentityCredential\`s, so a second credential in the same process sends nothing.
   The floor below the table is the same token request made by hand, with \`node:http\` or
   \`fetch\`, in a fresh process: what any library over that transport pays at least. On Node,
   the first \`fetch\` loads undici; on Workers, Deno and Bun, \`fetch\` is built in.
3. **Burst.** A fresh credential; 1,000 \`getToken\` calls started at once and awaited with
   \`Promise.allSettled\`. Requests: every request that reached the emulator while that process
   lived. Time to settle: from the first call to the last settlement.
4. **Many scopes.** The same with 10,000 calls over 100 scopes (call *i* asks for
   \`https://bench-<i mod 100>.example.com/.default\`). One round per environment: the request
   counts do not vary between rounds, and \`@azure/identity\` takes ~15 s per round.
5. **Bundle size.** See *Bundles* above: esbuild bundles a one-line entry re-exporting
   \`ManagedIdentityCredential\` from the package as installed (for azmi, the built \`dist\`, which
   inlines the few fp-ts functions and io-ts it uses from their ES module builds), minified;
   gzip at level 9. Node built-ins are external for the Node bundles; the fetch-io bundle is
   built for the \`neutral\` platform, as for a Worker, so it could hold no built-in at all.
6. **Start-up.** \`node bench/dist/startup/<subject>.js\`, a file that imports the credential and
   constructs it, prints \`performance.now()\` (ms since the process began) and the CPU time used
   so far; \`startup/empty.js\` prints the same with no import. The figure is the subject's median
   minus the empty script's median. Wall time from spawn to exit, seen by the bench, is
   subtracted the same way. App Service environment.
7. **Memory.** \`node --expose-gc\`: after the first token and 1 s of cached calls, the heap in
   use after ten full collections with a turn of the event loop between them (so finalizers
   run, and bytecode V8 drops after a few collections is gone); then 1,000,000 sequential cached
   calls; then the heap measured the same way. The figure is the difference, with the least and
   most of any round in brackets. What the first request left behind (sockets, fetch's
   internals, optimised code) is released at varying times, which moves a round by up to a few
   hundred KiB whatever the calls do: a few hundred KiB over 1,000,000 calls is under a byte per
   call, i.e. no growth. A negative median means the heap shrank, and has no ratio.

Rows 8 to 11 are scenarios: each run gets an emulator of its own (in the bench's process), set
up to misbehave one way, so runs can go side by side and every request it records is that
subject's. The subjects are constructed and run exactly as above.

8. **Hostile reply body** (issue 11). App Service; the subject's first call (another scope)
   gets a normal token, so that the loading and compiling of a first call (row 2) is not
   counted; every later request gets a 1 MiB body (1,048,576 bytes, the size cap of both
   shells) built to be hostile to redaction: a 500 and a non-JSON 200 whose body is \`eyJ-\`
   repeated (a JWT-like prefix), and a 400 whose body is \`"access_token": "\` repeated with
   no value ever closed. A 500 is retried, so that body is read at every attempt and quoted,
   redacted, in the final error (about 25 s of backoff for azmi). Inside the subject's
   process, \`perf_hooks.monitorEventLoopDelay\` at 1 ms resolution watches from the call
   until the first firing after it settled (the work that settles a call, building and
   redacting its error, is one block that only that firing records). The row is its maximum
   (which includes about 1 ms of resolution), the median of three rounds; the target, ≤ 50 ms,
   is judged on it. Row b is the same longest block counted in CPU time: a 1 ms interval
   reads \`process.cpuUsage()\` at every tick, and each gap counts for the lesser of its length
   and the CPU time used in it, so time spent waiting for a core on a busy machine is left
   out. When 8 and 8b agree the block was the process's own work; when 8 is much larger, the
   process was waiting for a core while other processes ran. Row c is the time from the call
   to its settlement. What each call ended with is listed under the table: \`@azure/identity\`
   reports these bodies as \`CredentialUnavailableError\` (MSAL's \`network_error\`) without
   quoting them.
9. **100 scopes cold at once against IMDS's limits** (issue 12). IMDS (through
   \`AZURE_POD_IDENTITY_AUTHORITY_HOST\`) enforcing its documented managed-identity limits,
   20 requests a second and 5 at once, answering 429 (\`Retry-After: 1\`) beyond either; one
   credential, 100 distinct scopes requested at once. The emulator counts the most requests
   open at once (429s included), the 429s its limiter sent, and every request. Each normal
   answer takes 300 ms: five requests in flight then make at most 16.7 a second, so a client
   can keep both limits by holding concurrency to 5 (under 250 ms, five in flight already
   exceed 20 a second). The same with 50 ms answers shows an IMDS faster than that: only a
   client that also spaces its requests keeps the rate limit there. azmi's limiter does both:
   at most 5 in flight, and starts at least 56 ms apart (at most 18 a second, docs/protocol.md
   §5.1). Targets: most in flight ≤ 5,
   429s 0; the time until all 100 tokens is reported (or until the last call failed).
10. **410 episodes** (issue 12). IMDS answering 410 for 70 s from the subject's first request
   (its documented "back within 70 s"), with \`Retry-After: 0\`, with \`Retry-After: 1\`, and
   with none; one \`getToken\`. Requests sent (target ≤ 8) and the time to the token, or to
   the call's failure. These are waits, not work, and they cannot be sped up from outside:
   the subjects are real credentials in child processes, on the real clock. So each case
   runs once, and all nine runs (three cases, three subjects, each with an emulator of its
   own) run at the same time. Every run is capped at 150 s (\`@azure/identity\`'s five
   retries, 3 s doubling with jitter that may halve each, end within 93 s; a run still open
   at the cap would be listed as \`capped\`). azmi stops retrying a 410 once 70 s have passed
   since its first attempt, as docs/protocol.md §2.8 says: an episode longer than IMDS's
   documented 70 s can outlast it.
11. **A 429 storm** (issue 12). IMDS answering 429 (no \`Retry-After\`) for 5 s from the first
   request; 1,000 \`getToken\` calls started at once over 10 scopes on one fresh credential.
   Counted: every token request IMDS received from the subject (11), and, per scope, in
   arrival order, the requests that came less than 0.5 s after the previous one for the same
   scope (11b): no retry follows a failure by less than 0.5 s, so such a request is a second
   one in a retry step its scope had already used. Also the requests answered 429 (11c, the
   emulator's count of replies the storm gave) and those after it (11d). Judged: 11b must be
   0 (no more than one request per scope per retry step); 11c at most 40 (the IMDS schedule,
   0.8 s doubling with -20 % jitter at most, fits at most four attempts into 5 s); 11d at most
   10 (one per scope, the one that gets its token, and none after); so 11 at most 50. azmi's
   throttle memory (docs/protocol.md §5.2), which holds back calls after a final 429, does not
   come into play: the retries outlast a 5 s storm, so no call ends on a 429. One round: the
   counts follow from the schedules.

**Targets missed, and what limits them.**
- *fetch-io bundle ≤ 10 KB gzipped.* See *Bundles* for where the minified bytes come from:
  most are core's own code (seven sources, selection with its explanation, the retry tables,
  the limiter and throttle memory, caching, redaction in every spelling, identity
  confirmation, tracing, and error messages that say what happened and what to do), then
  io-ts for the wire codecs (it ships without \`/*#__PURE__*/\` annotations, so a bundler
  keeps the module whole) and a few KB of fp-ts. Built from the sources (as the breakdown
  is), the bundle was 15.1 KB gzipped before the 2026-12 round, 17.0 KB after its restructure
  (an io-ts codec for every wire shape) and 25.6 KB with the rev 2 rules. Below 10 KB would mean
  dropping behaviour or gutting the messages, which azmi does not do.
- *fetch-io cold token ≤ 0.5× on Node.* A bare \`fetch\` of the same request in a fresh Node
  process (the floor above) already takes longer than the peer's whole first token: Node loads
  its fetch implementation (undici) on first use. fetch-io adds a few ms above that floor.
  On Node, \`@azmi/node-io\` is the shell to use; Workers, Deno and Bun have fetch built in.
- *node-io cold token ≤ 0.5×*, where missed: it sits at the border. node-io's first token
  costs about 2 to 5 ms above the bare \`node:http\` request (the floor); the peer's own first
  token moves between about 20 and 35 ms from run to run on this machine, which moves the
  ratio across 0.5. (node-io draws request ids from \`Math.random\`: loading Node's crypto
  module for \`randomUUID\` cost about 2 ms of that first call.)
- *Hostile body ≤ 50 ms* (row 8), where missed: compare row 8b. When 8b is far below 8, the
  process was waiting for a core while other work ran, and the figure is not the library's.
  azmi's own work on such a body is bounded: a body that is not JSON is redacted at most
  4 KiB past the 1000-character quote (docs/protocol.md §1.5), and JSON is parsed once.

**Noise.** Elapsed times move with whatever else the machine runs; compare the CPU-time rows and
the load averages above, and re-run \`npx -y pnpm@10 bench\` on a quiet machine for figures to
quote. Nothing in the test suite asserts a time: this is a script.
`
