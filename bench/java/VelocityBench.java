// Renders per second of the ../shared/bench cases with Apache Velocity 1.7 on a warmed JVM, parse
// once / parse each time, with a minimal API Gateway `$input` / `$util` shim (json-smart-like
// values from a small JSON parser, StringEscapeUtils.escapeJavaScript from Commons Lang 2.6, which
// API Gateway's own $util is built on). Fidelity is not the point: the timing is.
//
// Usage: java -cp velocity-1.7.jar:commons-collections3.jar:commons-lang.jar:. VelocityBench CASES_DIR
// Env: BENCH_MS (one timed run, default 400), BENCH_CASES (comma-separated names).
// Prints one JSON line per measurement: {"engine","mode","case","rps","runs":[...]}.

import java.io.File;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.node.SimpleNode;

public class VelocityBench {
    // ---- JSON ------------------------------------------------------------------------------
    static final class Json {
        final String s;
        int i;

        Json(String s) { this.s = s; }

        static Object parse(String s) {
            Json p = new Json(s);
            Object v = p.value();
            p.ws();
            if (p.i != s.length()) throw new IllegalArgumentException("trailing text at " + p.i);
            return v;
        }

        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        Object value() {
            ws();
            if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++; // ':'
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            if (num.isEmpty()) throw new IllegalArgumentException("unexpected character at " + start);
            if (num.contains(".") || num.contains("e") || num.contains("E")) return Double.valueOf(num);
            long n = Long.parseLong(num);
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return Integer.valueOf((int) n);
            return Long.valueOf(n);
        }

        String string() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        static void write(StringBuilder b, Object v) {
            if (v == null) b.append("null");
            else if (v instanceof String) {
                b.append('"');
                for (char c : ((String) v).toCharArray()) {
                    if (c == '"' || c == '\\') b.append('\\').append(c);
                    else if (c == '\n') b.append("\\n");
                    else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
                b.append('"');
            } else if (v instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (v instanceof List) {
                b.append('[');
                boolean first = true;
                for (Object o : (List<?>) v) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, o);
                }
                b.append(']');
            } else b.append(v);
        }
    }

    /** `$`, `$.a.b`, `$.a[1]`, `$.a[*].b`, `$['a']`. */
    static Object jsonPath(Object root, String expr) {
        List<Object> nodes = new ArrayList<>(Arrays.asList(root));
        boolean multi = false;
        int i = 1;
        while (i < expr.length()) {
            List<Object> next = new ArrayList<>();
            char c = expr.charAt(i);
            String key = null;
            int index = -1;
            boolean wildcard = false;
            if (c == '.') {
                int j = i + 1;
                while (j < expr.length() && expr.charAt(j) != '.' && expr.charAt(j) != '[') j++;
                key = expr.substring(i + 1, j);
                if (key.equals("*")) wildcard = true;
                i = j;
            } else if (c == '[') {
                int j = expr.indexOf(']', i);
                if (j < 0) return null;
                String inner = expr.substring(i + 1, j);
                if (inner.equals("*")) wildcard = true;
                else if (inner.startsWith("'")) key = inner.substring(1, inner.length() - 1);
                else index = Integer.parseInt(inner);
                i = j + 1;
            } else return null;
            for (Object n : nodes) {
                if (wildcard) {
                    multi = true;
                    if (n instanceof List) next.addAll((List<?>) n);
                    else if (n instanceof Map) next.addAll(((Map<?, ?>) n).values());
                } else if (key != null && n instanceof Map) {
                    if (((Map<?, ?>) n).containsKey(key)) next.add(((Map<?, ?>) n).get(key));
                } else if (index >= 0 && n instanceof List && index < ((List<?>) n).size()) {
                    next.add(((List<?>) n).get(index));
                }
            }
            nodes = next;
        }
        if (multi) return nodes;
        return nodes.isEmpty() ? null : nodes.get(0);
    }

    // ---- $input, $util -----------------------------------------------------------------------
    public static final class Input {
        private final String body;
        private final Map<String, Map<String, Object>> params;
        private Object parsed;
        private boolean isParsed;

        Input(String body, Map<String, Map<String, Object>> params) {
            this.body = body;
            this.params = params;
        }

        private Object payload() {
            if (!isParsed) {
                isParsed = true;
                parsed = body.isEmpty() ? new LinkedHashMap<String, Object>() : Json.parse(body);
            }
            return parsed;
        }

        public String getBody() { return body; }

        public Object path(String p) { return jsonPath(payload(), p); }

        public String json(String p) {
            StringBuilder b = new StringBuilder();
            Json.write(b, jsonPath(payload(), p));
            return b.toString();
        }

        public Map<String, Map<String, Object>> params() { return params; }

        public Object params(String name) {
            for (String k : new String[] {"path", "querystring", "header"}) {
                Object v = params.get(k).get(name);
                if (v != null) return v;
            }
            return "";
        }
    }

    public static final class Util {
        public String escapeJavaScript(String s) { return StringEscapeUtils.escapeJavaScript(s); }
        public Object parseJson(String s) { return Json.parse(s); }
        public String urlEncode(String s) throws Exception { return URLEncoder.encode(s, "UTF-8"); }
        public String urlDecode(String s) throws Exception { return URLDecoder.decode(s, "UTF-8"); }
        public String base64Encode(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
        public String base64Decode(String s) { return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8); }
    }

    static final Util UTIL = new Util();

    @SuppressWarnings("unchecked")
    static VelocityContext context(Map<String, Object> c) {
        VelocityContext ctx = new VelocityContext();
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        Map<String, Object> given = (Map<String, Object>) c.getOrDefault("params", new LinkedHashMap<>());
        for (String k : new String[] {"path", "querystring", "header"}) {
            Object v = given.get(k);
            params.put(k, v instanceof Map ? (Map<String, Object>) v : new LinkedHashMap<>());
        }
        ctx.put("input", new Input((String) c.getOrDefault("body", ""), params));
        ctx.put("util", UTIL);
        ctx.put("context", c.getOrDefault("context", new LinkedHashMap<>()));
        ctx.put("stageVariables", c.getOrDefault("stageVariables", new LinkedHashMap<>()));
        return ctx;
    }

    // ---- timing ------------------------------------------------------------------------------
    interface Body { void run() throws Exception; }

    static long runMs = 400;

    static void measure(String mode, String name, Body fn) throws Exception {
        // Warm-up: long enough for the JIT to compile the hot paths (the JVM is "warm").
        long warmEnd = System.nanoTime() + Math.max(runMs, 1000) * 1_000_000L;
        while (System.nanoTime() < warmEnd) for (int i = 0; i < 10; i++) fn.run();
        long[] runs = new long[3];
        for (int r = 0; r < 3; r++) {
            long n = 0;
            long start = System.nanoTime();
            long now = start;
            while (now - start < runMs * 1_000_000L) {
                for (int i = 0; i < 10; i++) fn.run();
                n += 10;
                now = System.nanoTime();
            }
            runs[r] = Math.round(n * 1e9 / (now - start));
        }
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        System.out.println("{\"engine\":\"velocity-1.7\",\"mode\":\"" + mode + "\",\"case\":\"" + name + "\",\"rps\":"
                + sorted[1] + ",\"runs\":[" + runs[0] + "," + runs[1] + "," + runs[2] + "]}");
        System.out.flush();
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (System.getenv("BENCH_MS") != null) runMs = Long.parseLong(System.getenv("BENCH_MS"));
        String onlyEnv = System.getenv("BENCH_CASES");
        List<String> only = onlyEnv == null ? null : Arrays.asList(onlyEnv.split(","));
        RuntimeInstance ri = new RuntimeInstance();
        ri.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        ri.init();
        File[] files = new File(args[0]).listFiles((d, n) -> n.endsWith(".json"));
        Arrays.sort(files);
        for (File f : files) {
            String name = f.getName().replace(".json", "");
            if (only != null && !only.contains(name)) continue;
            Map<String, Object> c = (Map<String, Object>) Json.parse(new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8));
            String src = (String) c.get("template");
            SimpleNode node = ri.parse(new StringReader(src), name);
            Template t = new Template();
            t.setRuntimeServices(ri);
            t.setData(node);
            t.initDocument();
            measure("once", name, () -> {
                Writer w = new StringWriter();
                t.merge(context(c), w);
            });
            measure("each", name, () -> {
                Writer w = new StringWriter();
                ri.evaluate(context(c), w, name, src);
            });
        }
    }
}
