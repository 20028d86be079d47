// Renders .case files with the real Apache Velocity 1.7 (Debian's velocity-1.7.jar) to produce
// the expected `=== output` sections. Usage (see README.md next to this file):
//   java -cp <cp> VtlRun.java [--write] file.case...
// Without --write it prints each case's output; with --write it replaces the `=== output` section
// (cases with an `=== options` section or an `=== error`/`=== diagnostics` section are skipped:
// they describe behaviour stock Velocity does not have).
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

public class VtlRun {
    public static void main(String[] args) throws Exception {
        boolean write = false;
        for (String a : args) {
            if (a.equals("--write")) { write = true; continue; }
            Path p = Paths.get(a);
            String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            List<String[]> secs = new ArrayList<>();
            StringBuilder desc = new StringBuilder();
            for (String line : text.split("(?<=\n)")) {
                String bare = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
                if (bare.startsWith("=== ")) secs.add(new String[]{bare.substring(4).trim(), ""});
                else if (secs.isEmpty()) desc.append(line);
                else secs.get(secs.size() - 1)[1] += line;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (String[] s : secs) { if (s[1].endsWith("\n")) s[1] = s[1].substring(0, s[1].length() - 1); m.put(s[0], s[1]); }
            String tpl = m.get("template");
            if (tpl == null) continue;
            // A fresh engine per case: inline macros are engine-wide in Velocity.
            VelocityEngine ve = new VelocityEngine();
            ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
            ve.init();
            VelocityContext ctx = new VelocityContext();
            if (m.containsKey("vars")) {
                Object v = new Json(m.get("vars")).value();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) if (e.getValue() != null) ctx.put((String) e.getKey(), e.getValue());
            }
            StringWriter w = new StringWriter();
            String out;
            try { ve.evaluate(ctx, w, p.getFileName().toString(), tpl); out = w.toString(); }
            catch (Throwable t) { out = "!!! " + t.getClass().getSimpleName() + ": " + t.getMessage(); }
            if (!write) { System.out.println("### " + a + "\n" + out); continue; }
            if (m.containsKey("options") || m.containsKey("error") || m.containsKey("diagnostics")) continue;
            if (out.startsWith("!!! ")) { System.out.println("### " + a + " velocity failed: " + out); continue; }
            StringBuilder sb = new StringBuilder(desc);
            boolean done = false;
            for (String[] s : secs) {
                String body = s[0].equals("output") ? out : s[1];
                if (s[0].equals("output")) done = true;
                sb.append("=== ").append(s[0]).append("\n").append(body).append("\n");
            }
            if (!done) sb.append("=== output\n").append(out).append("\n");
            Files.write(p, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Minimal JSON reader: objects become LinkedHashMap, arrays ArrayList, integers Integer/Long, other numbers Double. */
    static class Json {
        final String s; int i = 0;
        Json(String s) { this.s = s; }
        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                i++; Map<String, Object> m = new LinkedHashMap<>(); ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) { ws(); String k = (String) value(); ws(); i++; Object v = value(); m.put(k, v); ws(); if (s.charAt(i++) == '}') return m; }
            }
            if (c == '[') {
                i++; List<Object> l = new ArrayList<>(); ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) { l.add(value()); ws(); if (s.charAt(i++) == ']') return l; }
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder(); i++;
                while (s.charAt(i) != '"') {
                    char ch = s.charAt(i++);
                    if (ch == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n': b.append('\n'); break; case 't': b.append('\t'); break; case 'r': b.append('\r'); break;
                            case 'b': b.append('\b'); break; case 'f': b.append('\f'); break;
                            case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                            default: b.append(e);
                        }
                    } else b.append(ch);
                }
                i++; return b.toString();
            }
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int st = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String n = s.substring(st, i);
            if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
            long l = Long.parseLong(n);
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return (int) l;
            return l;
        }
    }
}
