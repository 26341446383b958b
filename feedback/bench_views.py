"""Only for bench/bench_submit.py, mounted when MINSHENG_BENCH=1: the cost of one INSERT."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def bench_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ping (body) VALUES (%s) RETURNING id", [request.body[:2000].decode()])
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)
