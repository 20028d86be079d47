// API Gateway's `$input` / `$util` / `$context` / `$stageVariables` for velocityjs, the way
// serverless-offline gives them to it: plain JavaScript objects and functions built per request.
// Only as much as the benchmark templates use; fidelity is not the point here (velocityjs itself
// differs from Velocity 1.7 on several of these templates, see ../shared/bench/README.md).

/** A small JSONPath for `$`, `$.a.b`, `$.a[1]`, `$.a[*].b`, `$['a']`. */
export function jsonPath(root, expr) {
  if (typeof expr !== 'string' || !expr.startsWith('$')) return undefined;
  const tokens = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\*\]|\.\*|\['([^']*)'\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < expr.length) {
    const m = re.exec(expr);
    if (!m) return undefined;
    if (m[1] !== undefined) tokens.push({ key: m[1] });
    else if (m[2] !== undefined) tokens.push({ index: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ key: m[3] ?? m[4] });
    else tokens.push({ wildcard: true });
  }
  let nodes = [root];
  let multi = false;
  for (const t of tokens) {
    const next = [];
    for (const n of nodes) {
      if (n === null || typeof n !== 'object') continue;
      if (t.wildcard) {
        multi = true;
        next.push(...(Array.isArray(n) ? n : Object.values(n)));
      } else if (t.index !== undefined) {
        if (Array.isArray(n) && t.index < n.length) next.push(n[t.index]);
      } else if (!Array.isArray(n) && Object.hasOwn(n, t.key)) next.push(n[t.key]);
    }
    nodes = next;
  }
  return multi ? nodes : nodes[0];
}

function parseBody(body) {
  if (!body) return {};
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

// java.net.URLEncoder: spaces as '+', and '*' kept; encodeURIComponent otherwise agrees for UTF-8.
const urlEncode = (s) =>
  encodeURIComponent(String(s)).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const urlDecode = (s) => decodeURIComponent(String(s).replace(/\+/g, ' '));

// Commons Lang StringEscapeUtils.escapeJavaScript, as serverless-offline approximates it.
const escapeJavaScript = (s) =>
  String(s).replace(/["'\\/\b\f\n\r\t]/g, (c) => ({ '"': '\\"', "'": "\\'", '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]);

export const util = {
  escapeJavaScript,
  parseJson: (s) => JSON.parse(s),
  urlEncode,
  urlDecode,
  base64Encode: (s) => Buffer.from(String(s), 'utf8').toString('base64'),
  base64Decode: (s) => Buffer.from(String(s), 'base64').toString('utf8'),
};

/** The context velocityjs renders with, for one template case (built per request). */
export function velocityContext(c) {
  const params = c.params ?? {};
  const path = params.path ?? {};
  const querystring = params.querystring ?? {};
  const header = params.header ?? {};
  let parsed;
  const payload = () => (parsed === undefined ? (parsed = parseBody(c.body ?? '')) : parsed);
  const input = {
    body: c.body ?? '',
    json: (p) => JSON.stringify(jsonPath(payload(), p) ?? null),
    path: (p) => jsonPath(payload(), p),
    params: (name) => {
      if (name === undefined) return { path, querystring, header };
      return path[name] ?? querystring[name] ?? header[name] ?? '';
    },
  };
  return { input, util, context: c.context ?? {}, stageVariables: c.stageVariables ?? {} };
}
