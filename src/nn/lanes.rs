//! A four-lane f32 vector, the only place that knows about SIMD.
//!
//! The matrix kernels are written once against [`F32x4`]. On wasm32 with
//! `simd128` enabled it wraps a `v128` and uses the `f32x4` intrinsics; on
//! every other target it is [`portable::F32x4`], a plain `[f32; 4]` (which
//! LLVM usually maps onto SSE or NEON by itself). Baseline wasm SIMD has no
//! fused multiply-add, so `mul_add` is a multiply then an add on both
//! paths, which keeps the two bit-for-bit alike. The portable form is
//! compiled on every target so the browser tests can compare the two.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128, v128_load, v128_store,
    };

    /// Four f32 lanes in one wasm `v128` register.
    #[derive(Clone, Copy)]
    pub struct F32x4(v128);

    impl F32x4 {
        /// All lanes zero.
        #[inline(always)]
        pub fn zero() -> Self {
            F32x4(f32x4_splat(0.0))
        }

        /// All lanes equal to `x`.
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            F32x4(f32x4_splat(x))
        }

        /// The first four values of `values` (panics if there are fewer).
        #[inline(always)]
        pub fn load(values: &[f32]) -> Self {
            let four = &values[..4];
            // SAFETY: `four` holds 16 readable bytes; wasm loads need no alignment.
            F32x4(unsafe { v128_load(four.as_ptr() as *const v128) })
        }

        /// Writes the lanes to the first four slots of `out`.
        #[inline(always)]
        pub fn store(self, out: &mut [f32]) {
            let four = &mut out[..4];
            // SAFETY: `four` holds 16 writable bytes; wasm stores need no alignment.
            unsafe { v128_store(four.as_mut_ptr() as *mut v128, self.0) }
        }

        /// `self + a * b`, lane by lane.
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            F32x4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }

        /// `self + other`, lane by lane.
        #[inline(always)]
        pub fn plus(self, other: Self) -> Self {
            F32x4(f32x4_add(self.0, other.0))
        }

        /// The sum of the four lanes.
        #[inline(always)]
        pub fn sum(self) -> f32 {
            (f32x4_extract_lane::<0>(self.0) + f32x4_extract_lane::<1>(self.0))
                + (f32x4_extract_lane::<2>(self.0) + f32x4_extract_lane::<3>(self.0))
        }
    }
}

/// The portable four lanes, used wherever wasm `simd128` is not.
pub mod portable {
    /// Four f32 lanes as a plain array (the portable path).
    #[derive(Clone, Copy)]
    pub struct F32x4([f32; 4]);

    impl F32x4 {
        /// All lanes zero.
        #[inline(always)]
        pub fn zero() -> Self {
            F32x4([0.0; 4])
        }

        /// All lanes equal to `x`.
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            F32x4([x; 4])
        }

        /// The first four values of `values` (panics if there are fewer).
        #[inline(always)]
        pub fn load(values: &[f32]) -> Self {
            F32x4([values[0], values[1], values[2], values[3]])
        }

        /// Writes the lanes to the first four slots of `out`.
        #[inline(always)]
        pub fn store(self, out: &mut [f32]) {
            out[..4].copy_from_slice(&self.0);
        }

        /// `self + a * b`, lane by lane.
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            let [s0, s1, s2, s3] = self.0;
            let [a0, a1, a2, a3] = a.0;
            let [b0, b1, b2, b3] = b.0;
            F32x4([s0 + a0 * b0, s1 + a1 * b1, s2 + a2 * b2, s3 + a3 * b3])
        }

        /// `self + other`, lane by lane.
        #[inline(always)]
        pub fn plus(self, other: Self) -> Self {
            let [s0, s1, s2, s3] = self.0;
            let [o0, o1, o2, o3] = other.0;
            F32x4([s0 + o0, s1 + o1, s2 + o2, s3 + o3])
        }

        /// The sum of the four lanes.
        #[inline(always)]
        pub fn sum(self) -> f32 {
            let [s0, s1, s2, s3] = self.0;
            (s0 + s1) + (s2 + s3)
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use imp::F32x4;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub use portable::F32x4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_load_multiply_add_store_and_sum() {
        let a = F32x4::load(&[1.0, 2.0, 3.0, 4.0, 99.0]);
        let b = F32x4::splat(0.5);
        let c = F32x4::load(&[10.0, 20.0, 30.0, 40.0]).mul_add(a, b);
        let mut out = [0.0f32; 5];
        c.store(&mut out);
        assert_eq!(out, [10.5, 21.0, 31.5, 42.0, 0.0]);
        assert_eq!(c.sum(), 105.0);
        assert_eq!(F32x4::zero().sum(), 0.0);
        let mut sum = [0.0f32; 4];
        c.plus(F32x4::splat(1.0)).store(&mut sum);
        assert_eq!(sum, [11.5, 22.0, 32.5, 43.0]);
    }
}
