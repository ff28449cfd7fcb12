"""The embedded broker (accessportal.broker): whole messages only, each taken once, a damaged one set
aside instead of stopping the worker."""

import threading
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Queue

from accessportal.broker import Transport


@pytest.fixture
def folders(tmp_path):
    # kombu keeps the declared exchanges per process (one set of folders per process in real life).
    Transport.global_state.clear()
    queue = tmp_path / "queue"
    queue.mkdir()
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }


def connection(folders) -> Connection:
    return Connection("filesystem://", transport=Transport, transport_options=folders)


QUEUE = Queue("celery", Exchange("celery"), routing_key="celery")


def publish(folders, bodies):
    with connection(folders) as conn:
        producer = conn.Producer(serializer="json")
        for body in bodies:
            producer.publish(body, exchange=QUEUE.exchange, routing_key="celery", declare=[QUEUE])


def drain(folders) -> list:
    received = []
    with connection(folders) as conn:
        simple = conn.SimpleQueue(QUEUE)
        while True:
            try:
                message = simple.get(block=False)
            except simple.Empty:
                break
            received.append(message.payload)
            message.ack()
        simple.close()
    return received


def test_a_message_appears_only_whole_under_its_final_name(folders):
    publish(folders, [{"n": 1}])
    names = [p.name for p in Path(folders["data_folder_in"]).iterdir()]
    assert len(names) == 1 and names[0].endswith(".celery.msg")
    assert not any(name.endswith(".tmp") for name in names)
    assert drain(folders) == [{"n": 1}]


def test_a_damaged_message_is_set_aside_and_the_next_one_read(folders):
    queue = Path(folders["data_folder_in"])
    (queue / "0_half-written.celery.msg").write_bytes(b'{"body": "eyJ')  # what kombu's own writer exposes
    publish(folders, [{"n": 2}])
    assert drain(folders) == [{"n": 2}]
    damaged = queue.parent / "damaged"
    assert [p.name for p in damaged.iterdir()] == ["0_half-written.celery.msg"]


def test_two_consumers_take_each_message_once(folders):
    publish(folders, [{"n": n} for n in range(60)])
    received, lock = [], threading.Lock()

    def consume():
        got = drain(folders)
        with lock:
            received.extend(got)

    threads = [threading.Thread(target=consume) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(item["n"] for item in received) == list(range(60))
