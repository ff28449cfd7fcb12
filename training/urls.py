"""The training app's URLs, one namespace ``training``: the trainers' pages and a trainee's sandbox
(its names start with ``trainee-``)."""

from training import sandbox_urls, trainer_urls

app_name = "training"

urlpatterns = [*trainer_urls.urlpatterns, *sandbox_urls.urlpatterns]
