from handlers.wording import listing, plural


def test_a_count_takes_the_number_of_its_word():
    assert [plural(n, "block") for n in (0, 1, 2)] == ["0 blocks", "1 block", "2 blocks"]
    assert plural(1, "change") == "1 change"
    assert plural(3, "person", "people") == "3 people"


def test_a_list_reads_as_a_sentence():
    assert listing([]) == ""
    assert listing(["government"]) == "government"
    assert listing(["civil-society", "government"]) == "civil-society and government"
    assert listing(["a", "b", "c"], "or") == "a, b or c"
