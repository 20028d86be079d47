import java.io.*;
public class Dbl { public static void main(String[] a) throws Exception {
  BufferedReader r = new BufferedReader(new InputStreamReader(System.in)); String l;
  StringBuilder sb = new StringBuilder();
  while ((l = r.readLine()) != null) { sb.append(Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(l, 16)))).append('\n'); }
  System.out.print(sb);
}}
