# Helpers shared by the layer CMakeLists.

# rmq_layer(NAME DEPS...): a static library from every .c in src/NAME, public include root src/.
function(rmq_layer name)
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.c)
  add_library(rmq_${name} STATIC ${srcs})
  target_include_directories(rmq_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src
                                                ${CMAKE_SOURCE_DIR}/include)
  set_target_properties(rmq_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(rmq_${name} PUBLIC ${ARGN})
  rmq_unit_tests(${name} rmq_${name})
endfunction()

# rmq_unit_tests(LAYER LIB): every tests/unit/LAYER/test_*.c is one ctest executable.
function(rmq_unit_tests layer lib)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/${layer}/test_*.c)
  foreach(t ${tests})
    get_filename_component(base ${t} NAME_WE)
    set(exe unit_${layer}_${base})
    add_executable(${exe} ${t})
    target_include_directories(${exe} PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
    target_link_libraries(${exe} PRIVATE ${lib})
    target_compile_definitions(${exe} PRIVATE
      RMQ_SOURCE_DIR="${CMAKE_SOURCE_DIR}" RMQ_BINARY_DIR="${CMAKE_BINARY_DIR}")
    add_test(NAME unit/${layer}/${base} COMMAND ${exe})
    set_tests_properties(unit/${layer}/${base} PROPERTIES LABELS "quick;unit" TIMEOUT 120)
  endforeach()
endfunction()
