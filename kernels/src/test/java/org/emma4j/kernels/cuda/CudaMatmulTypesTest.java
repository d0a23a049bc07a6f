package org.emma4j.kernels.cuda;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F16;
import static org.emma4j.kernels.DType.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which operand type cuBLAS is given for each pair of operand dtypes (no GPU needed). */
class CudaMatmulTypesTest {

    @Test
    void sameTypesStayAndMixedTypesWidenUnlessAutocast() {
        for (var t : new org.emma4j.kernels.DType[] {F32, BF16, F16}) {
            assertEquals(t, CudaMatmul.commonType(t, t, false));
            assertEquals(t, CudaMatmul.commonType(t, t, true));
        }
        // Exact by default: the narrow operand is widened, as the CPU backend computes it.
        assertEquals(F32, CudaMatmul.commonType(F32, BF16, false));
        assertEquals(F32, CudaMatmul.commonType(BF16, F32, false));
        // Autocast: F32 activations against BF16 weights run in BF16 on tensor cores.
        assertEquals(BF16, CudaMatmul.commonType(F32, BF16, true));
        assertEquals(BF16, CudaMatmul.commonType(BF16, F32, true));
        // Half formats never mix with each other in cuBLAS: through F32.
        assertEquals(F32, CudaMatmul.commonType(F16, BF16, true));
        assertEquals(F32, CudaMatmul.commonType(F16, F32, true));
    }
}
