package org.emma4j.kernels.reference;

/**
 * Rounding of a float to a narrower binary floating-point format, done on the value (not the bits) in
 * double arithmetic: an independent check on the bit tricks of Bf16 and the vector narrowing. Round to
 * nearest, ties to even (Math.rint), gradual underflow to subnormals, overflow to infinity as IEEE 754 says.
 */
public final class RoundingReference {
    private RoundingReference() {
    }

    /** bfloat16: 8 significant bits, exponents −126..127 (float32's range). */
    public static float toBf16(float x) {
        return (float) round(x, 8, -126, 127);
    }

    /** IEEE half: 11 significant bits, exponents −14..15. */
    public static float toF16(float x) {
        return (float) round(x, 11, -14, 15);
    }

    /** x rounded to a format of {@code precision} significant bits and normal exponents [emin, emax]. */
    public static double round(double x, int precision, int emin, int emax) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return x;
        }
        int e = Math.max(Math.getExponent(x), emin);
        double quantum = Math.scalb(1.0, e - (precision - 1));
        double r = Math.rint(x / quantum) * quantum;
        double maxFinite = Math.scalb(2.0 - Math.scalb(1.0, 1 - precision), emax);
        if (Math.abs(r) > maxFinite) {
            return Math.copySign(Double.POSITIVE_INFINITY, x);
        }
        return r == 0 ? Math.copySign(0.0, x) : r;
    }

    /** The value of IEEE half bits, decoded field by field. */
    public static double decodeF16(short bits) {
        int sign = (bits >> 15) & 1;
        int exp = (bits >> 10) & 0x1F;
        int mant = bits & 0x3FF;
        double mag;
        if (exp == 0x1F) {
            mag = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exp == 0) {
            mag = Math.scalb((double) mant, -24);
        } else {
            mag = Math.scalb(1024.0 + mant, exp - 25);
        }
        return sign == 1 ? -mag : mag;
    }
}
