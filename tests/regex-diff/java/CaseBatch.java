// Java 17's answers for vtl::jchar's differential test (tests/regex-diff/tests/jchar.rs).
// Output, first: one line per code point whose case data is not trivial:
//   "C <cp> <toLowerCase> <toUpperCase> <isLowerCase><isUpperCase><isAlphabetic>" (hex, 0/1 flags).
// Then, for each input line (a string as space-separated hex code points), one line:
//   "S <toLowerCase> | <toUpperCase> | <equalsIgnoreCase(previous)> <compareToIgnoreCase(previous)>".
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

public class CaseBatch {
    static String hex(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> { if (b.length() > 0) b.append(' '); b.append(Integer.toHexString(c)); });
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            int lo = Character.toLowerCase(cp), up = Character.toUpperCase(cp);
            boolean l = Character.isLowerCase(cp), u = Character.isUpperCase(cp), a = Character.isAlphabetic(cp);
            if (lo != cp || up != cp || l || u || a) {
                out.printf("C %x %x %x %d%d%d%n", cp, lo, up, l ? 1 : 0, u ? 1 : 0, a ? 1 : 0);
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line, prev = "";
        while ((line = in.readLine()) != null) {
            StringBuilder s = new StringBuilder();
            for (String h : line.trim().split(" ")) if (!h.isEmpty()) s.appendCodePoint(Integer.parseInt(h, 16));
            String str = s.toString();
            out.printf("S %s | %s | %b %d%n", hex(str.toLowerCase(Locale.ENGLISH)), hex(str.toUpperCase(Locale.ENGLISH)),
                str.equalsIgnoreCase(prev), str.compareToIgnoreCase(prev));
            prev = str;
        }
        out.flush();
    }
}
