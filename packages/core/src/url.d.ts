/**
 * The WHATWG URL parser, declared for the core.
 *
 * The core compiles with `lib: ["ES2022"]` and no ambient types so that a stray `process`,
 * `fetch` or timer fails the build. `URL` is the one web-standard global it relies on: a pure
 * parser, present in every runtime azmi targets (Node, Deno, Bun, workerd, browsers), and far
 * safer than a hand-written parser for hostile endpoint values. Only what the core uses is
 * declared here.
 */
declare class URL {
  constructor(input: string, base?: string)
  readonly protocol: string
  readonly username: string
  readonly password: string
  readonly host: string
  readonly hostname: string
  readonly pathname: string
  readonly search: string
  readonly hash: string
  readonly origin: string
  readonly searchParams: URLSearchParams
  toString(): string
}

declare class URLSearchParams {
  append(name: string, value: string): void
  get(name: string): string | null
  toString(): string
}
