// The one way the app talks to the server: POST /graphql with the signed-in token as a Bearer header.
const TOKEN_KEY = "graph-itsm-token";

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY)),
};

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
    this.code = errors[0]?.extensions?.code || "INTERNAL";
  }
}

export async function gql(query, variables = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const t = token.get();
  if (t) headers.Authorization = "Bearer " + t;
  let res;
  try {
    res = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new ApiError([{ message: "The server cannot be reached.", extensions: { code: "NETWORK" } }]);
  }
  let body;
  try { body = await res.json(); } catch (e) {
    const code = res.status === 401 ? "UNAUTHENTICATED" : res.status === 403 ? "FORBIDDEN" : "INTERNAL";
    throw new ApiError([{ message: `The server answered ${res.status}.`, extensions: { code } }]);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  return body.data;
}

// Words a person can act on, per error code.
export function explain(err) {
  const first = err.errors?.[0] || { message: String(err.message || err) };
  const ext = first.extensions || {};
  switch (err.code) {
    case "UNAUTHENTICATED":
      return { title: "Sign in to see this.",
        text: "The server needs a token for this request, or the token given has expired or is not valid. " +
              "Paste a token from your administrator in the sign-in box at the top right." };
    case "FORBIDDEN": {
      const roles = ext.requiredRoles || ext.required_roles;
      return { title: "Your role may not see this.",
        text: (roles?.length ? `It needs the role ${roles.join(" or ")}. ` : "") +
              "Sign in with a token that has that role, or ask an administrator to grant it. " + first.message };
    }
    case "NOT_FOUND": return { title: "Not found.", text: first.message };
    case "BAD_INPUT": return { title: "Please check the input.", text: first.message };
    case "TOO_COMPLEX": return { title: "That request is too large.", text: first.message + " Narrow it down (fewer rows, smaller depth)." };
    case "RULE_VIOLATION": return { title: "Refused by a portfolio rule.", text: first.message };
    case "NETWORK": return { title: "The server cannot be reached.", text: "Check that graph-itsm is running, then reload." };
    default: return { title: "Something went wrong.", text: first.message };
  }
}
