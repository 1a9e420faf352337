"""The live feed's room: a cap in all and per address, a place freed however a listener goes, and each list written
out once for every listener to it."""

import gc

from pages.feed_room import FeedRoom


def test_the_room_caps_listeners_in_all_and_per_address_and_frees_a_place_when_one_leaves():
    room = FeedRoom(most=3, per_address=2)
    assert room.admit('a') and room.admit('a')
    assert not room.admit('a')  # its share
    assert room.admit('b')
    assert not room.admit('c')  # the whole room
    room.leave('a')
    assert room.admit('c') and not room.admit('a')
    assert room.listening == 3 and dict(room.by_address) == {'a': 1, 'b': 1, 'c': 1}


def test_a_response_dropped_before_its_stream_started_gives_its_place_back():
    class Response:
        pass

    room = FeedRoom(most=2, per_address=2)
    assert room.admit('a') and room.admit('a')
    dropped, streamed = Response(), Response()
    room.leave_unless_started(dropped, 'a', lambda: False)
    room.leave_unless_started(streamed, 'a', lambda: True)  # its stream's own end lets it go
    del dropped, streamed
    gc.collect()
    assert room.listening == 1 and room.admit('a')


def test_a_list_is_written_once_for_all_listeners_while_it_is_the_same():
    room, writes = FeedRoom(most=10, per_address=10), []
    room.follow('key')
    room.follow('key')
    first, second = ('09:00',), ('09:30',)
    write = lambda value: writes.append(value) or ','.join(value)  # noqa: E731
    assert room.text('key', first, write) == room.text('key', first, write) == '09:00'
    assert room.text('key', second, write) == room.text('key', second, write) == '09:30'
    assert writes == [first, second]
    room.unfollow('key')
    room.unfollow('key')
    assert room.text('key', second, write) == '09:30' and writes == [first, second, second]  # nobody follows: no cache
