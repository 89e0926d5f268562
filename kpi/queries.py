"""The KPI queries: named SQL strings with bound parameters, one text for every engine.

Each string reads ``{offers}`` (the offers listed now), ``{observations}`` (every price a
sync or a backfill recorded) or ``{daily}`` (what retention left of old observations).
An engine fills them in, with the few functions that differ between dialects:
``{p25}``, ``{p50}``, ``{p75}`` (quantiles of ``price_per_gpu_hour``, all linear interpolation as in
`mathcore.market_stats.quantile`), ``{bucket}`` (start of the hour, day or ISO week of
``observed_at``) and ``{c}`` (byte-order collation, so ties sort alike everywhere).
Parameters are written ``:name`` and bound by the engine, never formatted into the text.
"""

from __future__ import annotations

# Per GPU set: price per GPU-hour by spot (overall), and by provider and spot.
GPU_PRICES = """
SELECT spot, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min, {p25} AS p25,
       {p50} AS median, {p75} AS p75, MAX(price_per_gpu_hour) AS max,
       COUNT(DISTINCT provider) AS providers
FROM {offers}
WHERE gpu_name IN :gpus
GROUP BY spot
"""

GPU_PROVIDER_PRICES = """
SELECT provider, spot, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min, {p25} AS p25,
       {p50} AS median, {p75} AS p75, MAX(price_per_gpu_hour) AS max
FROM {offers}
WHERE gpu_name IN :gpus
GROUP BY provider, spot
"""

GPU_REGIONS = """
SELECT provider, region FROM {offers} WHERE gpu_name IN :gpus
GROUP BY provider, region
ORDER BY provider{c}, region{c}
"""

# Every GPU of the market: offers and price per GPU-hour by spot.
MARKET_GPUS = """
SELECT gpu_name, spot, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min,
       {p50} AS median, MAX(price_per_gpu_hour) AS max
FROM {offers}
WHERE gpu_name IS NOT NULL
GROUP BY gpu_name, spot
ORDER BY gpu_name{c}, spot
"""

# The models of a GPU set: offers and price per GPU-hour by model and spot.
GPU_MODELS = """
SELECT gpu_name, spot, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min,
       {p50} AS median, MAX(price_per_gpu_hour) AS max
FROM {offers}
WHERE gpu_name IN :gpus
GROUP BY gpu_name, spot
ORDER BY gpu_name{c}, spot
"""

# Every (GPU, provider): offers and median price per GPU-hour by spot.
MARKET_GPU_PROVIDERS = """
SELECT gpu_name, provider, spot, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min,
       {p50} AS median
FROM {offers}
WHERE gpu_name IS NOT NULL
GROUP BY gpu_name, provider, spot
ORDER BY gpu_name{c}, provider{c}, spot
"""

# The cheapest offer of every GPU (price per GPU-hour), on-demand or spot as asked.
CHEAPEST = """
SELECT gpu_name, provider, instance_type, region, spot, gpu_count, price_per_hour,
       price_per_gpu_hour
FROM (
  SELECT gpu_name, provider, instance_type, region, spot, gpu_count, price_per_hour,
         price_per_gpu_hour,
         ROW_NUMBER() OVER (PARTITION BY gpu_name ORDER BY price_per_gpu_hour,
                            provider{c}, instance_type{c}, region{c}) AS rank_in_gpu
  FROM {offers}
  WHERE gpu_name IS NOT NULL AND spot = :spot
) AS ranked
WHERE rank_in_gpu = 1
ORDER BY gpu_name{c}
"""

# Supply: offers and GPUs by GPU and continent.
SUPPLY = """
SELECT gpu_name, continent, COUNT(*) AS offers, SUM(gpu_count) AS gpus
FROM {offers}
WHERE gpu_name IS NOT NULL
GROUP BY gpu_name, continent
ORDER BY gpu_name{c}, COALESCE(continent, ''){c}
"""

TOTALS = """
SELECT COUNT(*) AS offers, COUNT(DISTINCT gpu_name) AS gpus FROM {offers}
"""

# One provider's GPUs: offers and median by spot.
PROVIDER_GPUS = """
SELECT gpu_name, spot, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min,
       {p50} AS median
FROM {offers}
WHERE provider = :provider AND gpu_name IS NOT NULL
GROUP BY gpu_name, spot
ORDER BY gpu_name{c}, spot
"""

# Time series of observed prices per GPU-hour. :any_provider / :any_spot switch a filter off.
HISTORY = """
SELECT {bucket} AS bucket, COUNT(*) AS observations, MIN(price_per_gpu_hour) AS min,
       {p50} AS median, MAX(price_per_gpu_hour) AS max
FROM {observations}
WHERE gpu_name IN :gpus AND observed_at >= :since AND observed_at < :until
  AND (:any_provider OR provider = :provider) AND (:any_spot OR spot = :spot)
GROUP BY bucket
ORDER BY bucket
"""

# One provider's daily on-demand medians per GPU, for its volatility.
PROVIDER_DAILY = """
SELECT gpu_name, {bucket} AS bucket, {p50} AS median
FROM {observations}
WHERE provider = :provider AND spot = :spot AND gpu_name IS NOT NULL
  AND observed_at >= :since AND observed_at < :until
GROUP BY gpu_name, bucket
ORDER BY gpu_name{c}, bucket
"""

# For every offer identity whose price was observed at or after :since: its last price
# before :since (later = 0) and its last price from :since on (later = 1).
MOVES = """
SELECT provider, instance_type, region, spot, gpu_name, gpu_count, price_per_hour,
       price_per_gpu_hour, observed_at, later
FROM (
  SELECT provider, instance_type, region, spot, gpu_name, gpu_count, price_per_hour,
         price_per_gpu_hour, observed_at,
         CASE WHEN observed_at >= :since THEN 1 ELSE 0 END AS later,
         ROW_NUMBER() OVER (
           PARTITION BY provider, instance_type, region, spot,
                        CASE WHEN observed_at >= :since THEN 1 ELSE 0 END
           ORDER BY observed_at DESC) AS recency
  FROM {observations}
  WHERE gpu_name IS NOT NULL AND observed_at < :until
    AND (provider, instance_type, region, spot) IN (
      SELECT provider, instance_type, region, spot FROM {observations}
      WHERE observed_at >= :since AND observed_at < :until)
) AS latest
WHERE recency = 1
ORDER BY provider{c}, instance_type{c}, region{c}, spot, later
"""

# The same series from the daily rollup retention left (``{daily}`` names its median
# price_per_gpu_hour and its day observed_at, so the dialect pieces fit; the point's
# median is the median of the daily medians).
HISTORY_DAILY = """
SELECT {bucket} AS bucket, SUM(observations) AS observations, MIN(min_price) AS min,
       {p50} AS median, MAX(max_price) AS max
FROM {daily}
WHERE gpu_name IN :gpus AND observed_at >= :since_day AND observed_at < :until_day
  AND (:any_provider OR provider = :provider) AND (:any_spot OR spot = :spot)
GROUP BY bucket
ORDER BY bucket
"""

# Downsampling: daily min / median / max of one day's raw observations per GPU,
# provider and spot.
DAILY_ROLLUP = """
SELECT {day} AS day, gpu_name, provider, spot, COUNT(*) AS observations,
       MIN(price_per_gpu_hour) AS min, {p50} AS median, MAX(price_per_gpu_hour) AS max
FROM {observations}
WHERE observed_at < :before AND gpu_name IS NOT NULL
GROUP BY day, gpu_name, provider, spot
ORDER BY day, gpu_name{c}, provider{c}, spot
"""

QUERIES = {name: text for name, text in globals().items() if name.isupper()}
