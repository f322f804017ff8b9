// A small frontend module written against the generated client types: sign in with a bearer
// token, list members page by page with the cursor, and handle a 402 by its `kind`.
// `tests/test_api_typescript.py` regenerates generated/api.d.ts from /schema/openapi.json and
// runs `tsc --noEmit`: renaming an operationId or a schema, or changing a shape used here,
// fails the test.
import type { components, operations } from "./generated/api";

type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;

export type Me = Json<operations["me_get"]["responses"][200]>;
export type Member = components["schemas"]["Member"];
export type MemberPage = Json<operations["members_list"]["responses"][200]>;
export type MembersQuery = NonNullable<operations["members_list"]["parameters"]["query"]>;
export type CreateInvitation = components["schemas"]["CreateInvitation"];
export type Invitation = Json<operations["invitations_create"]["responses"][201]>;
export type PaymentRequired = Json<operations["invitations_create"]["responses"][402]>;
export type ErrorEnvelope = components["schemas"]["ErrorEnvelope"];

/** A failed call: the status and the error envelope the API answered. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorEnvelope,
  ) {
    super(`${status} ${body.error.code}: ${body.error.message}`);
  }
}

/** The API, signed in with a bearer token (an access token from the identity provider). */
export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(
    method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
    path: string,
    options: {
      query?: Record<string, string | number | boolean | null | undefined>;
      body?: unknown;
      idempotencyKey?: string;
    } = {},
  ): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (!response.ok) throw new ApiFailure(response.status, (await response.json()) as ErrorEnvelope);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** Who the token belongs to, and the organizations they are a member of. */
  me(): Promise<Me> {
    return this.call<Me>("GET", "/v1/me");
  }

  /** Every member of an organization, following `next_cursor` until the last page. */
  async allMembers(orgId: string, filter: Pick<MembersQuery, "status" | "q"> = {}): Promise<Member[]> {
    const members: Member[] = [];
    let cursor: string | null = null;
    do {
      const query: MembersQuery = { ...filter, limit: 100, ...(cursor ? { cursor } : {}) };
      const page: MemberPage = await this.call<MemberPage>("GET", `/v1/orgs/${orgId}/members`, { query });
      members.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return members;
  }

  /** Invite someone; a retry with the same key cannot send a second invitation. */
  invite(orgId: string, invitation: CreateInvitation, idempotencyKey: string): Promise<Invitation> {
    return this.call<Invitation>("POST", `/v1/orgs/${orgId}/invitations`, {
      body: invitation,
      idempotencyKey,
    });
  }
}

/** What to tell the user when the plan stops an action (402), by `details.kind`. */
export function explainPaymentRequired(failure: PaymentRequired): string {
  const details = failure.error.details;
  switch (details.kind) {
    case "limit":
      return `Your plan allows ${details.limit} ${details.limit_code} (${details.usage} in use).`;
    case "tier_entitlement":
      return `Your plan does not include ${details.entitlement}.`;
    default: {
      const unreachable: never = details;
      return unreachable;
    }
  }
}

export async function signInAndListMembers(baseUrl: string, token: string): Promise<string[]> {
  const api = new Api(baseUrl, token);
  const me = await api.me();
  const lines: string[] = [];
  const memberships = me.memberships ?? [];
  for (const membership of memberships) {
    const members = await api.allMembers(membership.organization_id, { status: "active" });
    lines.push(`${membership.organization_id}: ${members.length} members`);
  }
  try {
    const [first] = memberships;
    if (first === undefined) return lines;
    const roleId = "00000000-0000-4000-8000-000000000000"; // a role id from GET /roles
    const invitation: CreateInvitation = { email: "new@clinic.test", role_id: roleId, expires_in_hours: 72 };
    await api.invite(first.organization_id, invitation, crypto.randomUUID());
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 402) {
      lines.push(explainPaymentRequired(error.body as PaymentRequired));
    } else {
      throw error;
    }
  }
  return lines;
}
