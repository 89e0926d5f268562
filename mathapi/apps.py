from django.apps import AppConfig


class MathApiConfig(AppConfig):
    name = "mathapi"
    default_auto_field = "django.db.models.BigAutoField"
