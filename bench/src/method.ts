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

**Targets missed, and what limits them.**
- *fetch-io bundle ≤ 10 KB gzipped.* Of the minified bytes (see *Bundles*), core's own code is
  about 29 KB: seven sources, selection with its explanation, retries, caching, redaction, and
  about 10 KB of error messages that say what happened and what to do. io-ts adds about 9 KB
  for the one reply codec: it ships without \`/*#__PURE__*/\` annotations, so a bundler keeps
  the module whole. Without io-ts the bundle would still be about 12.7 KB gzipped; below 10 KB
  would mean dropping behaviour or gutting the messages, which azmi does not do. fp-ts costs
  under 2 KB since the build inlines its ES-module code.
- *fetch-io cold token ≤ 0.5× on Node.* A bare \`fetch\` of the same request in a fresh Node
  process (the floor above) already takes longer than the peer's whole first token: Node loads
  its fetch implementation (undici) on first use. fetch-io adds next to nothing above that floor.
  On Node, \`@azmi/node-io\` is the shell to use (it meets the target); Workers, Deno and Bun have
  fetch built in.

**Noise.** Elapsed times move with whatever else the machine runs; compare the CPU-time rows and
the load averages above, and re-run \`npx -y pnpm@10 bench\` on a quiet machine for figures to
quote. Nothing in the test suite asserts a time: this is a script.
`
