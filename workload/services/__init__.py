"""Services of the workload area: dicts in, mathcore dataclasses in between, dicts out.

Endpoints and the CLI call these; they never raise HTTP errors: bad input is a
MathInputError (400), an unknown GPU or template in a path is common.errors.NotFound (404).

``estimate``: one workload's estimate and cost per token; ``gpus``: GPU datasheet facts;
``recommend``: stored offers ranked for a workload; ``templates``: workload templates.
"""

from workload.services.estimate import (
    cost_per_token,
    estimate_as_dict,
    gpu_canonical,
    workload_estimate,
    workload_of,
)
from workload.services.gpus import gpu_as_dict, gpu_get, gpus_list
from workload.services.recommend import offers_recommended
from workload.services.templates import template_apply, templates_list

__all__ = ["cost_per_token", "estimate_as_dict", "gpu_as_dict", "gpu_canonical", "gpu_get",
           "gpus_list", "offers_recommended", "template_apply", "templates_list",
           "workload_estimate", "workload_of"]
