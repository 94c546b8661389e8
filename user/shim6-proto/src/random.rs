//! Randomness as an injected dependency, so that the state machines stay
//! deterministic under test and the daemon can plug in the OS generator.

/// A source of uniformly distributed random 64-bit values.
///
/// The daemon implements this over the operating system's CSPRNG (context
/// tags, nonces and probe nonces should be hard to guess, RFC 5533 §7.1,
/// RFC 5534 §5.2); tests use [`SeededRandom`].
pub trait RandomSource {
    fn next_u64(&mut self) -> u64;

    fn next_u32(&mut self) -> u32 {
        // The high half of a 64-bit draw: as uniform as the source itself.
        (self.next_u64() >> 32) as u32
    }

    /// Uniform value in `0..bound`; returns 0 when `bound` is 0.
    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        // Rejection sampling removes the modulo bias.
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let value = self.next_u64();
            if value < zone {
                return value % bound;
            }
        }
    }

    /// Uniform float in `[0, 1)` with 53 bits of precision.
    fn unit_interval(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl<R: RandomSource + ?Sized> RandomSource for &mut R {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
}

/// Deterministic generator (SplitMix64) for tests and simulations.
/// Not suitable for production: its output is predictable from the seed.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    state: u64,
}

impl SeededRandom {
    pub fn new(seed: u64) -> Self {
        SeededRandom { state: seed }
    }
}

impl RandomSource for SeededRandom {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range() {
        let mut rng = SeededRandom::new(7);
        for bound in [1u64, 2, 3, 10, 1 << 47] {
            for _ in 0..200 {
                assert!(rng.below(bound) < bound);
            }
        }
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn unit_interval_is_half_open() {
        let mut rng = SeededRandom::new(1);
        for _ in 0..1000 {
            let x = rng.unit_interval();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
