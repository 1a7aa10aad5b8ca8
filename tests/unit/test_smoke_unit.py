def test_truth():
    assert 1 + 1 == 2
