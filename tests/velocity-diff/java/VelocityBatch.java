// Renders a batch of (template, vars) pairs with Apache Velocity 1.7 in one JVM run.
//
// Input (stdin, bytes): a sequence of cases, each
//   "T" <byte length> ":" <UTF-8 template bytes> <vars value>
// where a value is encoded as
//   "n" null | "t" / "f" booleans | "i" <digits> ";" Integer | "L" <digits> ";" Long
//   | "d" <decimal> ";" Double | "s" <byte length> ":" <UTF-8 bytes> String
//   | "l" <count> ":" <values> ArrayList | "m" <count> ":" (<string value> <value>)* LinkedHashMap
// and the top-level vars value is a map.
//
// Output (stdout, bytes): one record per case, in order:
//   <STATUS> " " <byte length> "\n" <UTF-8 bytes> "\n"
// STATUS is OK (bytes = rendered output), PARSE (ParseErrorException), METHOD
// (MethodInvocationException) or ERROR (anything else thrown); for errors the bytes are the message.
//
// Velocity is configured with its defaults (no strict mode), like API Gateway plausibly does, except
// that logging is discarded. Each case is one evaluate() call with a fresh context. Inline macros are
// global to an engine by default, so a case whose text mentions "macro" gets a fresh engine: a macro
// defined by one case must neither leak into nor block (no inline replacement of globals) another.

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.ParseErrorException;

public class VelocityBatch {
    private final byte[] in;
    private int pos;

    VelocityBatch(byte[] in) {
        this.in = in;
    }

    static VelocityEngine newEngine() throws Exception {
        VelocityEngine ve = new VelocityEngine();
        ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        ve.init();
        return ve;
    }

    public static void main(String[] args) throws Exception {
        byte[] input = readAll(System.in);
        VelocityBatch b = new VelocityBatch(input);
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        VelocityEngine shared = newEngine();
        int n = 0;
        while (b.pos < b.in.length) {
            String template = b.readTemplate();
            Object vars = b.readValue();
            VelocityContext ctx = new VelocityContext();
            if (vars instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) vars).entrySet()) {
                    ctx.put((String) e.getKey(), e.getValue());
                }
            }
            String status;
            String body;
            try {
                VelocityEngine ve = template.contains("macro") ? newEngine() : shared;
                StringWriter w = new StringWriter();
                ve.evaluate(ctx, w, "case" + n, template);
                status = "OK";
                body = w.toString();
            } catch (ParseErrorException e) {
                status = "PARSE";
                body = String.valueOf(e.getMessage());
            } catch (MethodInvocationException e) {
                status = "METHOD";
                body = String.valueOf(e.getMessage());
            } catch (Throwable e) {
                status = "ERROR";
                body = e.getClass().getName() + ": " + e.getMessage();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write((status + " " + bytes.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write('\n');
            n++;
        }
        out.flush();
    }

    static byte[] readAll(InputStream s) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        int r;
        while ((r = s.read(chunk)) > 0) {
            buf.write(chunk, 0, r);
        }
        return buf.toByteArray();
    }

    String readTemplate() {
        expect('T');
        return readBytesAsString();
    }

    void expect(char c) {
        if (in[pos] != (byte) c) {
            throw new IllegalStateException("expected '" + c + "' at byte " + pos);
        }
        pos++;
    }

    String readUntil(char end) {
        int start = pos;
        while (in[pos] != (byte) end) {
            pos++;
        }
        String s = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return s;
    }

    String readBytesAsString() {
        int len = Integer.parseInt(readUntil(':'));
        String s = new String(in, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    Object readValue() {
        char tag = (char) in[pos++];
        switch (tag) {
            case 'n':
                return null;
            case 't':
                return Boolean.TRUE;
            case 'f':
                return Boolean.FALSE;
            case 'i':
                return Integer.valueOf(readUntil(';'));
            case 'L':
                return Long.valueOf(readUntil(';'));
            case 'd':
                return Double.valueOf(readUntil(';'));
            case 's':
                return readBytesAsString();
            case 'l': {
                int count = Integer.parseInt(readUntil(':'));
                List<Object> list = new ArrayList<Object>();
                for (int i = 0; i < count; i++) {
                    list.add(readValue());
                }
                return list;
            }
            case 'm': {
                int count = Integer.parseInt(readUntil(':'));
                Map<String, Object> map = new LinkedHashMap<String, Object>();
                for (int i = 0; i < count; i++) {
                    expect('s');
                    String key = readBytesAsString();
                    map.put(key, readValue());
                }
                return map;
            }
            default:
                throw new IllegalStateException("bad value tag '" + tag + "' at byte " + (pos - 1));
        }
    }
}
