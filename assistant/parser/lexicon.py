"""Word tables of the request parser: what words mean, in English and a few other languages.

Only plain tables live here; the patterns that use them are in `quantities` and `words`.
"""

from __future__ import annotations

MULTIPLIERS: dict[str, float] = {
    **dict.fromkeys(("k", "thousand", "tausend", "mille"), 1e3),
    **dict.fromkeys(("m", "mn", "mm", "mio", "million", "millions", "millionen", "millones",
                     "milioni"), 1e6),
    **dict.fromkeys(("b", "bn", "billion", "billions", "mrd", "milliarden", "milliards"), 1e9),
}

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "single": 1, "a single": 1, "two": 2, "a pair of": 2, "pair of": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12, "sixteen": 16,
    "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100, "a hundred": 100,
    "zwei": 2, "vier": 4, "acht": 8, "deux": 2, "quatre": 4, "huit": 8, "dos": 2,
    "cuatro": 4, "ocho": 8,
}

# Provider words -> companies; each company expands to the provider names that exist
# (the catalog cloud and its live API, "lambda" and "lambda-api").
PROVIDER_WORDS: dict[str, str] = {
    "aws": "aws", "amazon": "aws", "amazon web services": "aws", "ec2": "aws",
    "gcp": "gcp", "google cloud": "gcp", "google": "gcp", "gce": "gcp",
    "azure": "azure", "microsoft azure": "azure",
    "lambda": "lambda", "lambda labs": "lambda", "lambdalabs": "lambda",
    "runpod": "runpod", "run pod": "runpod",
    "vast": "vast", "vast.ai": "vast", "vastai": "vast",
    "digitalocean": "do", "digital ocean": "do",
    "oci": "oci", "oracle": "oci", "oracle cloud": "oci",
    "nebius": "nebius", "paperspace": "paperspace", "fluidstack": "fluidstack",
    "cudo": "cudo", "cudo compute": "cudo", "hyperbolic": "hyperbolic",
    "scaleway": "scaleway", "ovh": "ovhcloud", "ovhcloud": "ovhcloud", "seeweb": "seeweb",
    "shadeform": "shadeform", "prime intellect": "primeintellect",
    "primeintellect": "primeintellect", "simplepod": "simplepod", "mithril": "mithril",
    "jarvislabs": "jarvislabs", "jarvis labs": "jarvislabs", "hot aisle": "hotaisle",
    "hotaisle": "hotaisle", "verda": "verda", "datacrunch": "verda", "vultr": "vultr",
}

# Continent words beyond market.geo's own names.
CONTINENT_WORDS: dict[str, str] = {
    "europe": "EU", "european": "EU", "europa": "EU", "eu": "EU", "europe-based": "EU",
    "asia": "AS", "asian": "AS", "asia pacific": "AS", "asia-pacific": "AS", "apac": "AS",
    "north america": "NA", "north american": "NA", "south america": "SA", "latam": "SA",
    "latin america": "SA", "africa": "AF", "oceania": "OC", "middle east": "AS",
}

# Country words beyond market.geo's English names: other languages and demonyms.
COUNTRY_WORDS: dict[str, str] = {
    "deutschland": "DE", "allemagne": "DE", "alemania": "DE", "germania": "DE", "german": "DE",
    "frankreich": "FR", "francia": "FR", "french": "FR", "españa": "ES", "espana": "ES",
    "spanien": "ES", "espagne": "ES", "spanish": "ES", "italia": "IT", "italien": "IT",
    "italie": "IT", "italian": "IT", "brasil": "BR", "brasilien": "BR", "brésil": "BR",
    "polska": "PL", "polsce": "PL", "polen": "PL", "pologne": "PL", "niederlande": "NL",
    "pays-bas": "NL", "dutch": "NL", "holland": "NL", "schweiz": "CH", "suisse": "CH",
    "svizzera": "CH", "swiss": "CH", "japon": "JP", "japanese": "JP", "canadian": "CA",
    "kanada": "CA", "british": "GB", "royaume-uni": "GB", "swedish": "SE", "schweden": "SE",
    "suède": "SE", "finnish": "FI", "finnland": "FI", "norwegian": "NO", "norwegen": "NO",
    "estados unidos": "US", "états-unis": "US", "etats-unis": "US", "vereinigte staaten": "US",
    "u.s.": "US", "u.s.a.": "US", "us-based": "US", "american": "US", "österreich": "AT",
    "indian": "IN", "singapur": "SG", "korean": "KR", "australian": "AU",
}
# Two-letter codes taken only when written in capitals ("US", "DE"): in lower case they
# are ordinary words ("us", "de", "it", "in"). "GB" is gigabytes, "IT" and "IN" are words.
COUNTRY_CODES_UPPER = frozenset({
    "US", "UK", "DE", "FR", "NL", "CA", "JP", "SG", "SE", "FI", "NO", "PL", "ES", "CH",
    "AU", "BR", "KR", "AT", "BE", "DK", "IE", "IL", "MX", "TW", "HK", "NZ", "ZA", "CZ", "PT",
})

TASK_WORDS: dict[str, tuple[str, ...]] = {
    "image-generation": ("image generation", "image gen", "generate images", "text to image",
                         "text-to-image", "txt2img", "images", "image", "imgs", "pictures",
                         "renders", "diffusion"),
    "transcription": ("transcribe", "transcription", "transcribing", "speech to text",
                      "speech-to-text", "stt", "whisper", "asr"),
    "fine-tune": ("fine-tune", "fine tune", "finetune", "fine-tuning", "fine tuning",
                  "finetuning", "fine-tuned", "finetuned", "fine-tunes", "sft", "instruction tune",
                  "instruction-tune", "feinabstimmung", "nachtrainieren"),
    "training": ("pretrain", "pre-train", "pretraining", "pre-training", "from scratch",
                 "training", "train", "trainieren", "entraîner", "entrenar", "entrenamiento"),
    "inference": ("inference", "infer", "serve", "serving", "deploy", "deployment", "host",
                  "hosting", "run", "running", "chatbot", "chat bot", "endpoint", "api",
                  "summarization", "summarize", "summarise", "rag", "process", "processing",
                  "inferenz", "inférence", "inferencia"),
}

PRECISION_PATTERNS: dict[str, str] = {
    "bf16": r"bf16|bfloat16|bfloat-16",
    "fp16": r"fp16|float16|half[\s-]precision",
    "fp8": r"fp8|float8|e4m3|e5m2",
    "fp4": r"fp4|nvfp4|mxfp4",
    "int8": r"int8|8[\s-]?bits?|w8a8|q8(?:_0)?|llm\.int8",
    "int4": r"int4|4[\s-]?bits?|awq|gptq|nf4|q4(?:_k_m|_k_s|_0|_1|_k)?|w4a16|exl2",
    "fp32": r"fp32|float32|full[\s-]precision",
}

SORT_PATTERNS: dict[str, str] = {
    "price_per_gpu_hour": r"(?:cheapest|lowest(?:\s+price)?|cheap)\s+(?:price\s+)?per\s+gpu"
                          r"(?:[\s-]*(?:hour|hr|h))?",
    "-gpu_memory_gb": r"(?:most|largest|biggest|max(?:imum)?|more)\s+(?:gpu\s+)?"
                      r"(?:vram|memory|gpu\s+memory|gpu\s+ram)",
    "-gpu_count": r"most\s+gpus",
    "price_per_hour": r"cheapest|cheaper|cheap|lowest[\s-]price[ds]?|least\s+expensive"
                      r"|inexpensive|affordable|budget[\s-]friendly|pas\s+cher|moins\s+cher"
                      r"|günstigste[snmr]?|günstig|billigste[snmr]?|billig|más\s+barat[oa]"
                      r"|barat[oa]|più\s+economic[oa]|economic[oa]|najtańsz[aey]",
}

SPOT_PATTERNS: tuple[tuple[bool | None, str], ...] = (
    (None, r"(?:spot|interruptible|pre[\s-]?emptible)\s+(?:is\s+)?(?:ok|okay|fine|allowed)"
           r"|spot\s+or\s+on[\s-]?demand"
           r"|on[\s-]?demand\s+or\s+spot"),
    (False, r"on[\s-]?demand|non[\s-]?spot|no\s+spot|not\s+spot|without\s+spot|reserved"
            r"|dedicated|non[\s-]?preemptible|non[\s-]?interruptible|guaranteed"),
    (True, r"spot|pre[\s-]?emptible|interruptible|preemptable"),
)



def _words(block: str) -> list[str]:
    return block.split()


# Function words of English and of the other languages above: never "unparsed".
STOPWORDS = frozenset(_words("""
a an the i i'm im me my we our you your to for of on in at with w/ and or vs vs. versus is
are be can could would should will do does did need needs needed want wanted looking look
find get give show please what whats what's which how much many any some that this it its
from by per only just also about around approx approximately roughly like than then there
here available anywhere best good great under below less max maximum min minimum least
most up over more at most no not within upto < > <= >= = ~ + - / gpu gpus card cards
instance instances node nodes machine machines server servers box model models llm
something someone anyone need ideally thanks thx pls plz hi hey hello cost costs costing
price prices pricing rent renting rental buy use using used with each all one options
option right now currently today cheapest offer offers possible enough work works worth
run fit fits fitting if else so but to-do is there are get got have has
wie viel kostet auf mit für und oder bei unter ich brauche suche je cherche en de la le les
des un une pour avec moins por para con el los las un una menos busco necesito no em di
in il per sotto cerco w do dla szukam za ca ok lol pls
"""))

COMMON_WORDS = STOPWORDS | frozenset(_words("""
there their about would should could which where while price prices hours model models
using around cheaper server servers service services services serves hello thanks
other another these those think thing things right maybe really quite stuff cheaply
latency latencies second seconds minute minutes weeks month months years daily weekly
during after before between under below above every people person company team
budget total spend spent have having making making needs needed
instruct instruction instructions chat chats
"""))
