// A minimal GraphQL-over-HTTP client on Node's fetch: no Apollo, no graphql
// runtime. Result and variable types come from the generated documents.
import type { TypedDocumentString } from './generated/graphql.js';

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** The response carried `errors` (or was not a GraphQL response at all). */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLErrorEntry[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
    this.name = 'GraphQLRequestError';
  }

  /** The first error's `extensions.code` (Steward always sets one). */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

// Operations without variables take none; the others require theirs.
type VariablesArg<V> = V extends { [key: string]: never } ? [variables?: V] : [variables: V];

export interface Client {
  execute<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesArg<TVariables>
  ): Promise<TResult>;
  setToken(token: string | undefined): void;
}

export function createClient(url: string): Client {
  let token: string | undefined;

  async function execute<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesArg<TVariables>
  ): Promise<TResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
    let body: { data?: unknown; errors?: GraphQLErrorEntry[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new GraphQLRequestError(res.status, [{ message: `HTTP ${res.status}: not JSON` }]);
    }
    if (body.errors?.length) throw new GraphQLRequestError(res.status, body.errors);
    if (!res.ok || body.data == null) {
      throw new GraphQLRequestError(res.status, [{ message: `HTTP ${res.status}: no data` }]);
    }
    // The one unchecked step: the server validated the same document the
    // types were generated from, so data has the generated shape.
    return body.data as TResult;
  }

  return {
    execute,
    setToken(t) {
      token = t;
    },
  };
}
