// Runs a batch of java.util.regex cases in one JVM (Java 17) for the regex-diff harness.
//
// Input (stdin, bytes): a sequence of cases, each
//   "C" <pattern> <input> <replacement>
// where every string is <byte length> ":" <UTF-8 bytes>. The "groups replaceAll" below uses the
// replacement "<$1|$2|...|$N>" (N = groupCount, at most 99): each match's groups as text.
//
// Output (stdout, bytes): one record per case, in order. Tokens:
//   i<decimal>;          an integer
//   s<byte length>:<b>   a string (UTF-8)
//   u                    a string Java produced that splits a surrogate pair (no UTF-8 form)
//   n                    null (a group that did not participate)
//   x<byte length>:<b>   an exception (class name ": " message)
// A record is:
//   "E" s(message) i(index)                        the pattern does not compile, or
//   "O" i(groupCount) MATCHES FINDS s|x|u(replaceAll) s|x|u(replaceFirst) s|x|u(groups replaceAll)
//       SPLIT(-1) SPLIT(0) SPLIT(2)
//   MATCHES = "t" | "f" | x(...)
//   FINDS   = i(count) (i(start) i(end) (i(start) i(end) | n){groupCount})* [x(...) if find threw]
//             offsets are UTF-8 byte offsets into the input, -1 when the UTF-16 index falls
//             inside a surrogate pair (Java steps one UTF-16 unit after an empty match)
//   SPLIT   = i(count) (s|u)* | x(...)
// Every case runs against a deadline enforced through the input CharSequence (charAt throws once
// it passes), so a catastrophic-backtracking pattern costs at most DEADLINE_MS; it then reports
// x("Timeout: ...") in the place that timed out. StackOverflowError is reported the same way.

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public class RegexBatch {
    static final long DEADLINE_MS = 2000;
    static final int MAX_FINDS = 10000;

    static final class Timeout extends RuntimeException {
        Timeout() { super("Timeout: case took longer than " + DEADLINE_MS + " ms", null, false, false); }
    }

    /** A CharSequence that aborts matching once the deadline passed. */
    static final class Deadline implements CharSequence {
        final String s;
        final long until;
        int calls;
        Deadline(String s, long until) { this.s = s; this.until = until; }
        Deadline(String s, long until, int calls) { this.s = s; this.until = until; this.calls = calls; }
        public char charAt(int i) {
            if ((++calls & 0xFFF) == 0 && System.currentTimeMillis() > until) throw new Timeout();
            return s.charAt(i);
        }
        public int length() { return s.length(); }
        public CharSequence subSequence(int a, int b) { return new Deadline(s.substring(a, b), until); }
        public String toString() { return s; }
    }

    private final byte[] in;
    private int pos;
    /** Where the token writers write: the record buffer, or temporarily the find buffer. */
    private ByteArrayOutputStream out = new ByteArrayOutputStream();

    RegexBatch(byte[] in) { this.in = in; }

    public static void main(String[] args) throws Exception {
        byte[] input = System.in.readAllBytes();
        RegexBatch b = new RegexBatch(input);
        OutputStream os = new BufferedOutputStream(System.out, 1 << 16);
        while (b.pos < b.in.length) {
            if (b.in[b.pos++] != 'C') throw new IllegalStateException("bad record at " + (b.pos - 1));
            String pattern = b.readString();
            String subject = b.readString();
            String replacement = b.readString();
            b.out.reset();
            b.runCase(pattern, subject, replacement);
            b.out.writeTo(os);
        }
        os.flush();
    }

    String readString() {
        int colon = pos;
        while (in[colon] != ':') colon++;
        int len = Integer.parseInt(new String(in, pos, colon - pos, StandardCharsets.US_ASCII));
        String s = new String(in, colon + 1, len, StandardCharsets.UTF_8);
        pos = colon + 1 + len;
        return s;
    }

    void runCase(String pattern, String subject, String replacement) {
        Pattern p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            out.write('E');
            str(e.getDescription());
            num(e.getIndex());
            return;
        } catch (Throwable e) {
            // Java 17 throws other exceptions for a few malformed patterns (e.g. StackOverflowError
            // on deep nesting); they are compile failures too.
            out.write('E');
            str(e.getClass().getSimpleName() + ": " + e.getMessage());
            num(-1);
            return;
        }
        int[] bytes = byteOffsets(subject);
        long until = System.currentTimeMillis() + DEADLINE_MS;
        int gc = p.matcher("").groupCount();
        out.write('O');
        num(gc);
        try {
            out.write(p.matcher(new Deadline(subject, until)).matches() ? 't' : 'f');
        } catch (Throwable e) {
            exc(e);
        }
        // find: collect first, so a timeout midway still yields a well-formed record.
        ByteArrayOutputStream finds = new ByteArrayOutputStream();
        int count = 0;
        Throwable findError = null;
        ByteArrayOutputStream saved = swap(finds);
        try {
            Matcher m = p.matcher(new Deadline(subject, until));
            while (count < MAX_FINDS && m.find()) {
                count++;
                num(bytes[m.start()]);
                num(bytes[m.end()]);
                for (int g = 1; g <= gc; g++) {
                    if (m.start(g) < 0) {
                        out.write('n');
                    } else {
                        num(bytes[m.start(g)]);
                        num(bytes[m.end(g)]);
                    }
                }
            }
        } catch (Throwable e) {
            findError = e;
        }
        swap(saved);
        num(count);
        byte[] fb = finds.toByteArray();
        out.write(fb, 0, fb.length);
        if (findError != null) exc(findError); else out.write('-');
        replace(p, subject, replacement, true, until);
        replace(p, subject, replacement, false, until);
        replace(p, subject, groupsReplacement(gc), true, until);
        split(p, subject, -1, until);
        split(p, subject, 0, until);
        split(p, subject, 2, until);
    }

    void replace(Pattern p, String subject, String replacement, boolean all, long until) {
        try {
            Matcher m = p.matcher(new Deadline(subject, until));
            String r = all ? m.replaceAll(replacement) : m.replaceFirst(replacement);
            strOrLone(r);
        } catch (Throwable e) {
            exc(e);
        }
    }

    void split(Pattern p, String subject, int limit, long until) {
        String[] parts;
        try {
            parts = p.split(new Deadline(subject, until), limit);
        } catch (Throwable e) {
            exc(e);
            return;
        }
        num(parts.length);
        for (String s : parts) strOrLone(s);
    }

    /** Redirects the token writers to `next`; returns the previous target. */
    ByteArrayOutputStream swap(ByteArrayOutputStream next) {
        ByteArrayOutputStream prev = out;
        out = next;
        return prev;
    }

    /** "<$1|$2|...|$n>": the same text the Rust side builds (`groups_replacement`). */
    static String groupsReplacement(int gc) {
        StringBuilder r = new StringBuilder("<");
        for (int g = 1; g <= Math.min(gc, 99); g++) {
            if (g > 1) r.append('|');
            r.append('$').append(g);
        }
        return r.append('>').toString();
    }

    /** UTF-8 byte offset of every UTF-16 index of s (0..=length); -1 inside a surrogate pair. */
    static int[] byteOffsets(String s) {
        int[] r = new int[s.length() + 1];
        int b = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            r[i] = b;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                r[i + 1] = -1;
                b += 4;
                i += 2;
            } else {
                // Inputs come from UTF-8, so no lone surrogates exist here.
                b += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                i += 1;
            }
        }
        r[s.length()] = b;
        return r;
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) { i++; continue; }
                return true;
            }
            if (Character.isLowSurrogate(c)) return true;
        }
        return false;
    }

    void num(long v) { raw("i" + v + ";"); }

    void str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        raw("s" + b.length + ":");
        out.write(b, 0, b.length);
    }

    void strOrLone(String s) {
        if (hasLoneSurrogate(s)) raw("u"); else str(s);
    }

    void exc(Throwable e) {
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        raw("x" + b.length + ":");
        out.write(b, 0, b.length);
    }

    void raw(String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }
}
