from rest_framework.routers import SimpleRouter

from city.apis import CategoryViewSet, DepartmentViewSet

router = SimpleRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("categories", CategoryViewSet, basename="category")

urlpatterns = router.urls
