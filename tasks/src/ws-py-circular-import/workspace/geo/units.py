from geo import distance

KM_PER_MILE = 1.609344


def to_km(miles):
    return miles * KM_PER_MILE


def distance_km(a, b):
    """Distance between points given in miles, in km."""
    return to_km(distance(a, b))
