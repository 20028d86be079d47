//! `Double.toString` exactly as Java 8–18 print it (`sun.misc.FloatingDecimal`): the digits are
//! not always the shortest round-trip form (2^-31 prints `4.6566128730773926E-10`), and API
//! Gateway runs on such a JVM as far as anyone can tell. JDK 19+ switched to the shortest form
//! (JDK-4511638). This follows FloatingDecimal's `dtoa` step by step, including its 32/64-bit
//! fast paths with their wrap-around arithmetic, and its digit layout (`getChars`).

/// Bits of 5^i (FloatingDecimal.N_5_BITS).
const N_5_BITS: [i32; 27] = [
    0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56,
    59, 61,
];

fn pow5_i64(n: i32) -> Option<i64> {
    (0..=26).contains(&n).then(|| 5i64.pow(n as u32))
}

fn pow5_i32(n: i32) -> Option<i32> {
    (0..=13).contains(&n).then(|| 5i32.pow(n as u32))
}

/// A minimal unsigned big integer (little-endian u32 limbs) for the slow path.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Big(Vec<u32>);

impl Big {
    pub(crate) fn from_u128(v: u128) -> Big {
        let mut b = Big(vec![
            v as u32,
            (v >> 32) as u32,
            (v >> 64) as u32,
            (v >> 96) as u32,
        ]);
        b.trim();
        b
    }
    /// Schoolbook product.
    pub(crate) fn mul(&self, o: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + o.0.len() + 1];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in o.0.iter().enumerate() {
                let v = out[i + j] as u64 + a as u64 * b as u64 + carry;
                out[i + j] = v as u32;
                carry = v >> 32;
            }
            let mut k = i + o.0.len();
            while carry > 0 && k < out.len() {
                let v = out[k] as u64 + carry;
                out[k] = v as u32;
                carry = v >> 32;
                k += 1;
            }
        }
        let mut b = Big(out);
        b.trim();
        b
    }
    fn bit_len(&self) -> usize {
        let top = self.0.len() - 1;
        top * 32 + (32 - self.0[top].leading_zeros() as usize)
    }
    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }
    /// Quotient and remainder (binary long division; `d` must not be zero).
    pub(crate) fn div_rem(&self, d: &Big) -> (Big, Big) {
        let mut q = Big(vec![0u32; self.0.len()]);
        let mut r = Big(vec![0]);
        for i in (0..self.bit_len()).rev() {
            r.shl(1);
            if self.bit(i) {
                r.0[0] |= 1;
            }
            if r.cmp(d) != std::cmp::Ordering::Less {
                r.sub_assign(d);
                q.0[i / 32] |= 1 << (i % 32);
            }
        }
        q.trim();
        r.trim();
        (q, r)
    }
    /// Decimal digits.
    pub(crate) fn to_dec(&self) -> String {
        let mut limbs = self.0.clone();
        let mut chunks = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for l in limbs.iter_mut().rev() {
                let v = (rem << 32) | *l as u64;
                *l = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            chunks.push(rem as u32);
            while limbs.len() > 1 && limbs.last() == Some(&0) {
                limbs.pop();
            }
        }
        let mut out = chunks
            .pop()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "0".into());
        while let Some(c) = chunks.pop() {
            out.push_str(&format!("{c:09}"));
        }
        out
    }
    fn from_u64(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }
    fn trim(&mut self) {
        while self.0.len() > 1 && self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in self.0.iter_mut() {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }
    pub(crate) fn mul_pow5(&mut self, mut n: i32) {
        while n >= 13 {
            self.mul_small(1_220_703_125);
            n -= 13;
        }
        if n > 0 {
            self.mul_small(5u32.pow(n as u32));
        }
    }
    pub(crate) fn shl(&mut self, n: i32) {
        if n <= 0 {
            return;
        }
        let (words, bits) = ((n / 32) as usize, (n % 32) as u32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in self.0.iter_mut() {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if words > 0 {
            let mut v = vec![0u32; words];
            v.extend_from_slice(&self.0);
            self.0 = v;
        }
        self.trim();
    }
    fn pow52(p5: i32, p2: i32) -> Big {
        let mut b = Big::from_u64(1);
        b.mul_pow5(p5);
        b.shl(p2);
        b
    }
    pub(crate) fn cmp(&self, o: &Big) -> std::cmp::Ordering {
        let (a, b) = (&self.0, &o.0);
        if a.len() != b.len() {
            return a.len().cmp(&b.len());
        }
        for i in (0..a.len()).rev() {
            if a[i] != b[i] {
                return a[i].cmp(&b[i]);
            }
        }
        std::cmp::Ordering::Equal
    }
    pub(crate) fn sub_assign(&mut self, o: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = self.0[i] as i64 - o.0.get(i).copied().unwrap_or(0) as i64 - borrow;
            if v < 0 {
                self.0[i] = (v + (1i64 << 32)) as u32;
                borrow = 1;
            } else {
                self.0[i] = v as u32;
                borrow = 0;
            }
        }
        self.trim();
    }
    pub(crate) fn add(&self, o: &Big) -> Big {
        let n = self.0.len().max(o.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let v = self.0.get(i).copied().unwrap_or(0) as u64
                + o.0.get(i).copied().unwrap_or(0) as u64
                + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }
    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }
    /// q = self / s (a single digit), self = 10 * (self % s).
    fn quo_rem_iteration(&mut self, s: &Big) -> i32 {
        let mut q = 0;
        while self.cmp(s) != std::cmp::Ordering::Less && q < 10 {
            self.sub_assign(s);
            q += 1;
        }
        self.mul_small(10);
        q
    }
}

struct Digits {
    digits: Vec<u8>,
    dec_exponent: i32,
}

impl Digits {
    fn roundup(&mut self) {
        let Some(mut i) = self.digits.len().checked_sub(1) else {
            return;
        };
        let mut q = self.digits[i];
        if q == b'9' {
            while q == b'9' && i > 0 {
                self.digits[i] = b'0';
                i -= 1;
                q = self.digits[i];
            }
            if q == b'9' {
                self.dec_exponent += 1;
                self.digits[0] = b'1';
                return;
            }
        }
        self.digits[i] = q + 1;
    }
}

fn insignificant_digits_for_pow2(p2: i32) -> i32 {
    if p2 > 1 && p2 < 64 {
        // floor(p2 * log10(2))
        ((p2 as i64 * 30103) / 100_000) as i32
    } else {
        0
    }
}

fn develop_long_digits(mut dec_exponent: i32, mut lvalue: i64, insignificant: i32) -> Digits {
    if insignificant != 0 {
        let pow10 = pow5_i64(insignificant).unwrap_or(1) << insignificant;
        let residue = lvalue % pow10;
        lvalue /= pow10;
        dec_exponent += insignificant;
        if residue >= (pow10 >> 1) {
            lvalue += 1;
        }
    }
    // Digits of lvalue, trailing zeros counted into the exponent.
    let mut rev = Vec::new();
    let mut c = lvalue % 10;
    lvalue /= 10;
    while c == 0 && lvalue != 0 {
        dec_exponent += 1;
        c = lvalue % 10;
        lvalue /= 10;
    }
    while lvalue != 0 {
        rev.push(b'0' + c as u8);
        dec_exponent += 1;
        c = lvalue % 10;
        lvalue /= 10;
    }
    rev.push(b'0' + c as u8);
    rev.reverse();
    Digits {
        digits: rev,
        dec_exponent: dec_exponent + 1,
    }
}

// The constants are FloatingDecimal's own literals (not LOG10_2 to full precision).
#[allow(clippy::approx_constant)]
fn estimate_dec_exp(fract_bits: u64, bin_exp: i32) -> i32 {
    let d2 = f64::from_bits(0x3ff0_0000_0000_0000 | (fract_bits & ((1u64 << 52) - 1)));
    let d = (d2 - 1.5) * 0.289529654 + 0.176091259 + bin_exp as f64 * 0.301029995663981;
    d.floor() as i32
}

/// Digits and decimal exponent of a positive, finite, non-zero double; with `float`, of a
/// float widened to it: Java runs the same `dtoa` for `Float.toString` with the float's
/// mantissa in the double layout, only its significant-bit count (24, fewer when subnormal)
/// differs, which widens the rounding margin and so gives fewer digits.
fn dtoa(d: f64, float: bool) -> Digits {
    let bits = d.to_bits();
    let mut fract_bits = bits & ((1u64 << 52) - 1);
    let mut bin_exp = ((bits >> 52) & 0x7ff) as i32;
    let n_significant_bits;
    if bin_exp == 0 {
        let lz = fract_bits.leading_zeros() as i32;
        let shift = lz - (63 - 52);
        fract_bits <<= shift;
        bin_exp = 1 - shift;
        n_significant_bits = 64 - lz;
    } else {
        fract_bits |= 1u64 << 52;
        n_significant_bits = if float {
            let f = (d as f32).to_bits();
            if f >> 23 == 0 {
                32 - (f & 0x7f_ffff).leading_zeros() as i32
            } else {
                24
            }
        } else {
            53
        };
    }
    bin_exp -= 1023;

    let tail_zeros = fract_bits.trailing_zeros() as i32;
    let n_fract_bits = 53 - tail_zeros;
    let n_tiny_bits = (n_fract_bits - bin_exp - 1).max(0);
    if (-21..=62).contains(&bin_exp)
        && n_tiny_bits < 27
        && n_fract_bits + N_5_BITS[n_tiny_bits as usize] < 64
        && n_tiny_bits == 0
    {
        let insignificant = if bin_exp > n_significant_bits {
            insignificant_digits_for_pow2(bin_exp - n_significant_bits - 1)
        } else {
            0
        };
        let v = if bin_exp >= 52 {
            fract_bits << (bin_exp - 52)
        } else {
            fract_bits >> (52 - bin_exp)
        };
        return develop_long_digits(0, v as i64, insignificant);
    }
    let mut dec_exp = estimate_dec_exp(fract_bits, bin_exp);
    let b5 = (-dec_exp).max(0);
    let mut b2 = b5 + n_tiny_bits + bin_exp;
    let s5 = dec_exp.max(0);
    let mut s2 = s5 + n_tiny_bits;
    let m5 = b5;
    let mut m2 = b2 - n_significant_bits;
    let fract_bits = fract_bits >> tail_zeros;
    b2 -= n_fract_bits - 1;
    let common = b2.min(s2);
    b2 -= common;
    s2 -= common;
    m2 -= common;
    if n_fract_bits == 1 {
        m2 -= 1;
    }
    if m2 < 0 {
        b2 -= m2;
        s2 -= m2;
        m2 = 0;
    }
    let n5 = |i: i32| {
        if (i as usize) < N_5_BITS.len() {
            N_5_BITS[i as usize]
        } else {
            i * 3
        }
    };
    let b_bits = n_fract_bits + b2 + n5(b5);
    let ten_s_bits = s2 + 1 + n5(s5 + 1);
    let mut digits: Vec<u8> = Vec::with_capacity(20);
    let (low, high, low_digit_difference): (bool, bool, i64);

    if b_bits < 64 && ten_s_bits < 64 && b_bits < 32 && ten_s_bits < 32 {
        if let (Some(p_b), Some(p_s), Some(p_m)) = (pow5_i32(b5), pow5_i32(s5), pow5_i32(m5)) {
            // All ints (Java's int arithmetic wraps).
            let mut b: i32 = (fract_bits as i32)
                .wrapping_mul(p_b)
                .wrapping_shl(b2 as u32);
            let s: i32 = p_s.wrapping_shl(s2 as u32);
            let mut m: i32 = p_m.wrapping_shl(m2 as u32);
            let tens = s.wrapping_mul(10);
            if s <= 0 {
                return finish(digits, dec_exp, true, false, 0);
            }
            let mut q = b / s;
            b = (b % s).wrapping_mul(10);
            m = m.wrapping_mul(10);
            let mut lo = b < m;
            let mut hi = b.wrapping_add(m) > tens;
            if q == 0 && !hi {
                dec_exp -= 1;
            } else {
                digits.push(b'0'.wrapping_add(q as u8));
            }
            if !(-3..8).contains(&dec_exp) {
                hi = false;
                lo = false;
            }
            while !lo && !hi && digits.len() < 40 {
                q = b / s;
                b = (b % s).wrapping_mul(10);
                m = m.wrapping_mul(10);
                if m > 0 {
                    lo = b < m;
                    hi = b.wrapping_add(m) > tens;
                } else {
                    lo = true;
                    hi = true;
                }
                digits.push(b'0'.wrapping_add(q as u8));
            }
            low = lo;
            high = hi;
            low_digit_difference = (b.wrapping_shl(1)).wrapping_sub(tens) as i64;
            return finish(digits, dec_exp, low, high, low_digit_difference);
        }
    }
    if b_bits < 64 && ten_s_bits < 64 {
        if let (Some(p_b), Some(p_s), Some(p_m)) = (pow5_i64(b5), pow5_i64(s5), pow5_i64(m5)) {
            // All longs.
            let mut b: i64 = (fract_bits as i64)
                .wrapping_mul(p_b)
                .wrapping_shl(b2 as u32);
            let s: i64 = p_s.wrapping_shl(s2 as u32);
            let mut m: i64 = p_m.wrapping_shl(m2 as u32);
            let tens = s.wrapping_mul(10);
            if s <= 0 {
                return finish(digits, dec_exp, true, false, 0);
            }
            let mut q = b / s;
            b = (b % s).wrapping_mul(10);
            m = m.wrapping_mul(10);
            let mut lo = b < m;
            let mut hi = b.wrapping_add(m) > tens;
            if q == 0 && !hi {
                dec_exp -= 1;
            } else {
                digits.push(b'0'.wrapping_add(q as u8));
            }
            if !(-3..8).contains(&dec_exp) {
                hi = false;
                lo = false;
            }
            while !lo && !hi && digits.len() < 40 {
                q = b / s;
                b = (b % s).wrapping_mul(10);
                m = m.wrapping_mul(10);
                if m > 0 {
                    lo = b < m;
                    hi = b.wrapping_add(m) > tens;
                } else {
                    lo = true;
                    hi = true;
                }
                digits.push(b'0'.wrapping_add(q as u8));
            }
            low = lo;
            high = hi;
            low_digit_difference = (b.wrapping_shl(1)).wrapping_sub(tens);
            return finish(digits, dec_exp, low, high, low_digit_difference);
        }
    }
    // Big-integer path (no wrap-around; note `>=` in the high test, as FDBigInteger.addAndCmp).
    let s = Big::pow52(s5, s2);
    let mut b = Big::from_u64(fract_bits);
    b.mul_pow5(b5);
    b.shl(b2);
    let mut m = Big::pow52(m5 + 1, m2 + 1);
    let ten_s = Big::pow52(s5 + 1, s2 + 1);
    let mut q = b.quo_rem_iteration(&s);
    let mut lo = b.cmp(&m) == std::cmp::Ordering::Less;
    let mut hi = b.add(&m).cmp(&ten_s) != std::cmp::Ordering::Less;
    if q == 0 && !hi {
        dec_exp -= 1;
    } else {
        digits.push(b'0'.wrapping_add(q as u8));
    }
    if !(-3..8).contains(&dec_exp) {
        hi = false;
        lo = false;
    }
    while !lo && !hi && digits.len() < 40 {
        q = b.quo_rem_iteration(&s);
        m.mul_small(10);
        lo = b.cmp(&m) == std::cmp::Ordering::Less;
        hi = b.add(&m).cmp(&ten_s) != std::cmp::Ordering::Less;
        digits.push(b'0'.wrapping_add(q as u8));
    }
    let ldd = if hi && lo {
        let mut b2x = b.clone();
        b2x.shl(1);
        match b2x.cmp(&ten_s) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }
    } else {
        0
    };
    let _ = b.is_zero();
    finish(digits, dec_exp, lo, hi, ldd)
}

fn finish(
    digits: Vec<u8>,
    dec_exp: i32,
    low: bool,
    high: bool,
    low_digit_difference: i64,
) -> Digits {
    let mut d = Digits {
        digits,
        dec_exponent: dec_exp + 1,
    };
    if d.digits.is_empty() {
        d.digits.push(b'0');
    }
    if high {
        if low {
            if low_digit_difference == 0 {
                if d.digits.last().is_some_and(|c| (c - b'0') & 1 != 0) {
                    d.roundup();
                }
            } else if low_digit_difference > 0 {
                d.roundup();
            }
        } else {
            d.roundup();
        }
    }
    d
}

/// Appends `Double.toString(d)` as Java 8–18 print it.
pub(crate) fn write(d: f64, out: &mut String) {
    write_digits(d, false, out)
}

/// Appends `Float.toString(f)` as Java 8–18 print it (`0.1f` is `0.1`, `1.0E10f` is
/// `1.0E10`, `16777217` as a float `1.6777216E7`).
pub(crate) fn write_float(f: f32, out: &mut String) {
    write_digits(f64::from(f), true, out)
}

fn write_digits(d: f64, float: bool, out: &mut String) {
    if d.is_nan() {
        out.push_str("NaN");
        return;
    }
    if d.is_infinite() {
        out.push_str(if d > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if d == 0.0 {
        out.push_str(if d.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    if d < 0.0 {
        out.push('-');
    }
    let Digits {
        digits,
        dec_exponent: e,
    } = dtoa(d.abs(), float);
    let digits: String = digits.iter().map(|&c| c as char).collect();
    let n = digits.len() as i32;
    if e > 0 && e < 8 {
        let char_len = n.min(e) as usize;
        out.push_str(&digits[..char_len]);
        if (char_len as i32) < e {
            for _ in 0..(e - char_len as i32) {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push('.');
            if (char_len as i32) < n {
                out.push_str(&digits[char_len..]);
            } else {
                out.push('0');
            }
        }
    } else if e <= 0 && e > -3 {
        out.push_str("0.");
        for _ in 0..(-e) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if n > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('E');
        let exp = e - 1;
        out.push_str(&exp.to_string());
    }
}
