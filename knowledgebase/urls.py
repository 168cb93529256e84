app_name = "knowledgebase"

urlpatterns = []
