"""Ranking: any decision matrix ranked with TOPSIS or an ensemble of MCDM methods
(`/api/v2/math/topsis`, `/api/v2/math/ensemble`); the arithmetic lives in mathcore."""
